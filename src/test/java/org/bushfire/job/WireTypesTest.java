package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.bushfire.domain.Alert;
import org.bushfire.domain.FireEvent;
import org.bushfire.domain.GeoPoint;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.LineageOnset;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What flows between operators and sits in keyed state is serialized by Flink's POJO serializer, never by Kryo:
 * Kryo is slower, and its state cannot evolve when a field is added (an upgrade from a savepoint would fail).
 */
class WireTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {SensorRecord.class, Reading.class, Onset.class, LineageOnset.class, InfectionChain.class,
        Alert.class, FireTreeOrder.KnownOnset.class, FireEvent.class, IncidentMessage.class,
        IncidentMessage.Reference.class, GeoPoint.class, FireIncidents.Incident.class, FireIncidents.BurningSensor.class})
    void isSerializedAsAPojo(Class<?> type) {
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}
