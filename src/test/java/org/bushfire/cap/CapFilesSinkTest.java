package org.bushfire.cap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.testing.CapXml;
import org.bushfire.testing.IncidentFixtures;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CAP documents to files through a Flink job: one file per message id, the same file when written again. */
class CapFilesSinkTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots(new Configuration());

    @TempDir
    Path folder;

    @Test
    void eachMessageIsOneParseableFileNamedByItsIdAndAReplayRewritesTheSameFiles() throws Exception {
        IncidentMessage[] fire = {IncidentFixtures.alert("ridge-7", true), IncidentFixtures.update("ridge-7"),
                IncidentFixtures.allClear("ridge-7")};
        CapSettings settings = CapSettings.of("bushfire-tests.example", CapSettings.Status.EXERCISE);

        run(settings, fire);
        String first = Files.readString(CapFilesSink.fileOf(folder, fire[1]));
        run(settings, fire);

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(fire[0].messageId + ".xml", fire[1].messageId + ".xml",
                            fire[2].messageId + ".xml");
        }
        for (IncidentMessage m : fire) {
            String xml = Files.readString(CapFilesSink.fileOf(folder, m));
            assertThat(CapXml.parse(xml).getElementsByTagNameNS(CapDocument.NAMESPACE, "identifier").item(0)
                    .getTextContent()).isEqualTo(m.messageId);
        }
        assertThat(Files.readString(CapFilesSink.fileOf(folder, fire[1]))).isEqualTo(first);
    }

    void run(CapSettings settings, IncidentMessage... messages) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(messages).sinkTo(new CapFilesSink(folder, settings)).name("CAP files");
        env.execute("CAP documents to files");
    }
}
