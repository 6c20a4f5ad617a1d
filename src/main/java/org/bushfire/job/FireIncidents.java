package org.bushfire.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Alert;
import org.bushfire.domain.FireEvent;
import org.bushfire.domain.FireGeometry;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentMessage.Reason;
import org.bushfire.domain.IncidentMessage.Stage;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/**
 * Per network: each fire's incident, from its alert to its all-clear, decided in event time so that a replay,
 * a restore and both delivery modes give the same messages with the same ids.
 *
 * <p>Everything it hears — released onsets (with their fire root), alerts, heat reports of burning sensors — is
 * held until the watermark passes it and then taken in event-time order (within an instant: onsets, heat
 * reports, alerts), so what a message says depends on event time only. After each instant, and at each time a
 * message may be due, every incident of the network is weighed against the rules:
 * <ol>
 *   <li><b>Alert</b> when the fire's alert arrives (its first chain of N completed; one per fire, as before).
 *       Onsets before it count: its burning count is every onset of the fire up to the chain's completion.</li>
 *   <li><b>Update</b> when the burning count crosses a milestone (2N, 4N, 8N, …): due one minute after the
 *       crossing, and each further crossing within that minute moves it on a minute and merges into it; or when
 *       {@code --update-every} has passed since the last message and more sensors burnt since.</li>
 *   <li><b>All clear</b> when no onset came for {@code --quiet-after} and the newest reading of every burning
 *       sensor of the fire is below T. Nothing follows it.</li>
 * </ol>
 * Keyed by network because a heat report names a sensor, not a fire: the sensor's fire is known here from its
 * onset. A network rarely has more than a few incidents at once, so weighing all of them is cheap; the per-sensor
 * state is one map entry each, and the geometry ({@link FireGeometry}) is computed only when a message is sent.
 * An incident and its sensors are forgotten {@code --state-retention} after its all-clear, or after its last
 * onset if it never clears.
 */
public final class FireIncidents extends KeyedProcessFunction<String, FireEvent, IncidentMessage> {
    /** Milestone crossings closer together than this merge into one update. */
    static final long MILESTONE_MERGE_MILLIS = 60_000L;
    /** The recent front the spread is fitted on: onsets this close to the newest. */
    static final long FRONT_WINDOW_MILLIS = 30 * 60_000L;
    /** Newest onsets a message lists. */
    static final int NEWEST_ONSETS = 5;

    private final int chainLength;
    private final double threshold;
    private final long updateEveryMillis;
    private final long quietAfterMillis;
    private final long retentionMillis;

    private transient MapState<Long, Integer> waiting;
    private transient MapState<String, FireEvent> pending;
    private transient MapState<String, Incident> incidents;
    private transient MapState<String, BurningSensor> sensors;
    private transient Counter messages;

    public FireIncidents(AlertingConfig config) {
        this.chainLength = config.chainLength();
        this.threshold = config.threshold();
        this.updateEveryMillis = config.updateEvery().toMillis();
        this.quietAfterMillis = config.quietAfter().toMillis();
        this.retentionMillis = config.stateRetention().toMillis();
    }

    /** A fire's incident so far. */
    public static class Incident {
        public String fireKey;
        public String network;
        public String fireRoot;
        public boolean fireRootNumeric;
        public long fireRootOnsetTimestamp;
        /** Null until the alert. */
        public String alertId;
        public Onset[] firstChain;
        public int burning;
        /** Burning sensors whose newest reading is hot. */
        public int hot;
        public long lastOnsetTimestamp;
        public Onset[] newestOnsets = new Onset[0];
        /** Messages sent; 0 before the alert. */
        public int sequence;
        public long lastSentTimestamp;
        public int burningAtLastMessage;
        /** The highest milestone a message has announced. */
        public int milestone;
        /** A milestone crossed but not yet announced, and when its update is due (0: none). */
        public int pendingMilestone;
        public long milestoneDueTimestamp;
        public boolean allClear;
        public IncidentMessage.Reference[] references = new IncidentMessage.Reference[0];

        public Incident() {}
    }

    /** A burning sensor: its fire, onset, position and newest reading's heat. */
    public static class BurningSensor {
        public String fireKey;
        public long onsetTimestamp;
        public Double lat;
        public Double lon;
        public long newestTimestamp;
        public boolean newestHot;

        public BurningSensor() {}
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-events", Types.LONG, Types.INT));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-events-by-arrival", Types.STRING, Types.POJO(FireEvent.class)));
        incidents = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("incidents", Types.STRING, Types.POJO(Incident.class)));
        sensors = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("burning-sensors", Types.STRING, Types.POJO(BurningSensor.class)));
        messages = JobMetrics.counter(getRuntimeContext(), JobMetrics.INCIDENT_MESSAGES);
    }

    @Override
    public void processElement(FireEvent event, Context ctx, Collector<IncidentMessage> out) throws Exception {
        // Every input is released upstream just before the watermark passes it, so none is behind it here;
        // one that were would be taken at once rather than lost.
        long t = Math.max(event.timestamp(), ctx.timerService().currentWatermark() + 1);
        Integer count = waiting.get(t);
        if (count == null) {
            count = 0;
            ctx.timerService().registerEventTimeTimer(t);
        }
        pending.put(t + "/" + count, event);
        waiting.put(t, count + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentMessage> out) throws Exception {
        Integer count = waiting.get(timestamp);
        if (count != null) {
            waiting.remove(timestamp);
            List<FireEvent> due = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String key = timestamp + "/" + i;
                due.add(pending.get(key));
                pending.remove(key);
            }
            due.sort(Comparator.comparingInt(FireEvent::orderInInstant)
                    .thenComparingInt(e -> e.onset != null ? e.onset.releaseRank : 0));
            for (FireEvent e : due) {
                if (e.onset != null) {
                    onset(e.onset, ctx);
                } else if (e.heatReport != null) {
                    heat(e.heatReport);
                } else {
                    alert(e.alert, timestamp, ctx, out);
                }
            }
        }
        weighEveryIncident(timestamp, ctx, out);
    }

    private void onset(Onset o, OnTimerContext ctx) throws Exception {
        String fireKey = o.fireKey();
        BurningSensor before = sensors.get(o.node());
        if (before != null && before.fireKey.equals(fireKey)) {
            return; // the same onset again (a restore replays what the checkpoint had not seen): nothing new
        }
        Incident incident = incidents.get(fireKey);
        if (incident == null) {
            incident = new Incident();
            incident.fireKey = fireKey;
            incident.network = o.network();
            incident.fireRoot = o.fireRoot;
            incident.fireRootNumeric = o.fireRootNumeric;
            incident.fireRootOnsetTimestamp = o.fireRootOnsetTimestamp;
        }
        if (incident.allClear) {
            return; // the fire is out and announced so; what burns later in its tree is not news of it
        }
        BurningSensor s = new BurningSensor();
        s.fireKey = fireKey;
        s.onsetTimestamp = o.timestamp();
        s.lat = o.reading.lat;
        s.lon = o.reading.lon;
        s.newestTimestamp = o.timestamp();
        s.newestHot = true;
        sensors.put(o.node(), s);
        incident.burning++;
        incident.hot++;
        incident.lastOnsetTimestamp = Math.max(incident.lastOnsetTimestamp, o.timestamp());
        incident.newestOnsets = newestFirst(incident.newestOnsets, o);
        if (incident.sequence > 0) {
            int crossed = milestoneAt(incident.burning);
            if (crossed > Math.max(incident.milestone, incident.pendingMilestone)) {
                incident.pendingMilestone = crossed;
                incident.milestoneDueTimestamp = o.timestamp() + MILESTONE_MERGE_MILLIS;
                ctx.timerService().registerEventTimeTimer(incident.milestoneDueTimestamp);
            }
        }
        ctx.timerService().registerEventTimeTimer(o.timestamp() + quietAfterMillis);
        ctx.timerService().registerEventTimeTimer(o.timestamp() + retentionMillis);
        incidents.put(fireKey, incident);
    }

    private void heat(Reading r) throws Exception {
        BurningSensor s = sensors.get(r.node);
        if (s == null || r.eventTimestamp < s.newestTimestamp) {
            return;
        }
        boolean hot = r.isHot(threshold);
        s.newestTimestamp = r.eventTimestamp;
        if (hot != s.newestHot) {
            s.newestHot = hot;
            Incident incident = incidents.get(s.fireKey);
            if (incident != null) {
                incident.hot += hot ? 1 : -1;
                incidents.put(s.fireKey, incident);
            }
        }
        sensors.put(r.node, s);
    }

    private void alert(Alert a, long timestamp, OnTimerContext ctx, Collector<IncidentMessage> out) throws Exception {
        String fireKey = org.bushfire.domain.Fire.key(a.network, a.fireRoot, a.fireRootOnsetTimestamp);
        Incident incident = incidents.get(fireKey);
        if (incident == null || incident.alertId != null) {
            return; // a fire alerts once; an incident starts with its onsets, which come first
        }
        incident.alertId = a.alertId;
        incident.firstChain = a.chain;
        // milestones the fire had already passed when it alerted are in the alert, not updates of their own
        incident.milestone = milestoneAt(incident.burning);
        send(incident, Stage.ALERT, Reason.FIRST_CHAIN, timestamp, ctx, out);
        incidents.put(fireKey, incident);
    }

    private void weighEveryIncident(long now, OnTimerContext ctx, Collector<IncidentMessage> out) throws Exception {
        List<String> forgotten = new ArrayList<>();
        List<Incident> changedIncidents = new ArrayList<>();
        for (Map.Entry<String, Incident> entry : incidents.entries()) {
            Incident incident = entry.getValue();
            if (expired(incident, now)) {
                forgotten.add(entry.getKey());
                continue;
            }
            if (incident.sequence == 0 || incident.allClear) {
                continue;
            }
            boolean changed = false;
            if (incident.pendingMilestone > 0 && now >= incident.milestoneDueTimestamp) {
                send(incident, Stage.UPDATE, Reason.MILESTONE, now, ctx, out);
                changed = true;
            } else if (now >= incident.lastSentTimestamp + updateEveryMillis
                    && incident.burning > incident.burningAtLastMessage) {
                send(incident, Stage.UPDATE, Reason.PERIODIC, now, ctx, out);
                changed = true;
            }
            if (incident.hot == 0 && now >= incident.lastOnsetTimestamp + quietAfterMillis) {
                send(incident, Stage.ALL_CLEAR, Reason.BURNT_OUT, now, ctx, out);
                changed = true;
            }
            if (changed) {
                changedIncidents.add(incident);
            }
        }
        for (Incident incident : changedIncidents) {
            incidents.put(incident.fireKey, incident);
        }
        if (!forgotten.isEmpty()) {
            forget(forgotten);
        }
    }

    private boolean expired(Incident incident, long now) {
        long from = incident.allClear ? incident.lastSentTimestamp : incident.lastOnsetTimestamp;
        return now >= from + retentionMillis;
    }

    private void forget(List<String> fireKeys) throws Exception {
        for (String fireKey : fireKeys) {
            incidents.remove(fireKey);
        }
        List<String> nodes = new ArrayList<>();
        for (Map.Entry<String, BurningSensor> s : sensors.entries()) {
            if (fireKeys.contains(s.getValue().fireKey)) {
                nodes.add(s.getKey());
            }
        }
        for (String node : nodes) {
            sensors.remove(node);
        }
    }

    private void send(Incident incident, Stage stage, Reason reason, long now, OnTimerContext ctx,
            Collector<IncidentMessage> out) throws Exception {
        IncidentMessage m = new IncidentMessage();
        m.sequence = incident.sequence + 1;
        m.messageId = IncidentMessage.idOf(incident.alertId, m.sequence);
        m.stage = stage;
        m.reason = reason;
        m.references = incident.references.clone();
        m.previousMessageId = m.references.length == 0 ? null : m.references[m.references.length - 1].messageId;
        m.alertId = incident.alertId;
        m.network = incident.network;
        m.fireRoot = incident.fireRoot;
        m.fireRootNumeric = incident.fireRootNumeric;
        m.fireRootOnsetTimestamp = incident.fireRootOnsetTimestamp;
        m.sentTimestamp = now;
        m.lastOnsetTimestamp = incident.lastOnsetTimestamp;
        m.burningSensors = incident.burning;
        if (stage == Stage.UPDATE) {
            // a milestone still pending when a periodic update goes out is announced by it
            incident.milestone = Math.max(incident.milestone, incident.pendingMilestone);
        }
        m.milestone = incident.milestone;
        m.firstChain = incident.firstChain;
        m.newestOnsets = incident.newestOnsets.clone();
        geometry(incident.fireKey, m);

        incident.sequence = m.sequence;
        incident.lastSentTimestamp = now;
        incident.burningAtLastMessage = incident.burning;
        incident.pendingMilestone = 0;
        incident.milestoneDueTimestamp = 0;
        incident.references = Arrays.copyOf(m.references, m.references.length + 1);
        incident.references[m.references.length] = new IncidentMessage.Reference(m.messageId, now);
        if (stage == Stage.ALL_CLEAR) {
            incident.allClear = true;
            ctx.timerService().registerEventTimeTimer(now + retentionMillis);
        } else {
            ctx.timerService().registerEventTimeTimer(now + updateEveryMillis);
        }
        messages.inc();
        out.collect(m);
    }

    private void geometry(String fireKey, IncidentMessage m) throws Exception {
        List<FireGeometry.Burning> located = new ArrayList<>();
        for (BurningSensor s : sensors.values()) {
            if (s.fireKey.equals(fireKey) && s.lat != null && s.lon != null) {
                located.add(new FireGeometry.Burning(s.lat, s.lon, s.onsetTimestamp));
            }
        }
        FireGeometry g = FireGeometry.of(located, FRONT_WINDOW_MILLIS);
        m.positionedSensors = located.size();
        m.hull = g.hull;
        m.areaKm2 = g.areaKm2;
        m.centroid = g.centroid;
        m.boundingBoxMin = g.boundingBoxMin;
        m.boundingBoxMax = g.boundingBoxMax;
        m.headingDegrees = g.headingDegrees;
        m.rateOfSpreadMetresPerMinute = g.rateOfSpreadMetresPerMinute;
    }

    /** The highest milestone 2N, 4N, 8N, … that {@code burning} has reached; 0 below 2N. */
    int milestoneAt(int burning) {
        int milestone = 0;
        for (long m = 2L * chainLength; m <= burning; m *= 2) {
            milestone = (int) m;
        }
        return milestone;
    }

    private static Onset[] newestFirst(Onset[] newest, Onset o) {
        Onset[] next = new Onset[Math.min(NEWEST_ONSETS, newest.length + 1)];
        next[0] = o;
        System.arraycopy(newest, 0, next, 1, next.length - 1);
        return next;
    }
}
