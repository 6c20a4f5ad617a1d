package org.bushfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;

/**
 * What really happened in a run: every fire, with its network, its root (where it started) and its infection
 * tree — each burnt sensor with the neighbour that infected it, when the fire reached it, and its onset.
 *
 * <p>Two onsets per sensor: {@code onsetTimestamp} is its first hot reading as the sensor took it;
 * {@code deliveredOnsetTimestamp} is its first hot reading the job could use — sent intact (not dropped, not
 * malformed) and not late, lateness decided exactly as the job decides it for one ordered stream (a file, or a
 * one-shard Kinesis stream): more than B behind the newest reading sent before it. Null when none was.
 */
public final class Truth {
    /** A sensor the fire reached. */
    public static final class Node {
        public final String network;
        public final String node;
        public final String infectedBy;
        public final long infectionTimestamp;
        public final Double lat;
        public final Double lon;
        Long onsetTimestamp;
        Long deliveredOnsetTimestamp;

        Node(String network, String node, String infectedBy, long infectionTimestamp, Double lat, Double lon) {
            this.network = network;
            this.node = node;
            this.infectedBy = infectedBy;
            this.infectionTimestamp = infectionTimestamp;
            this.lat = lat;
            this.lon = lon;
        }

        public Long onsetTimestamp() {
            return onsetTimestamp;
        }

        public Long deliveredOnsetTimestamp() {
            return deliveredOnsetTimestamp;
        }
    }

    /** One fire: its root first, then the sensors in the order the fire reached them. */
    public static final class Fire {
        public final String network;
        public final List<Node> nodes;

        public Fire(String network, List<Node> nodes) {
            this.network = network;
            this.nodes = List.copyOf(nodes);
        }

        public Node root() {
            return nodes.get(0);
        }
    }

    private final List<Fire> fires;
    private final Map<String, Node> byNode = new HashMap<>();
    private final double threshold;

    public Truth(List<Fire> fires, double threshold) {
        this.fires = List.copyOf(fires);
        this.threshold = threshold;
        for (Fire f : fires) {
            for (Node n : f.nodes) {
                byNode.put(key(f.network, n.node), n);
            }
        }
    }

    static Node node(String network, String node, String infectedBy, long infectionTimestamp, Double lat, Double lon) {
        return new Node(network, node, infectedBy, infectionTimestamp, lat, lon);
    }

    private static String key(String network, String node) {
        return network + '\u001f' + node;
    }

    /** A reading as the sensor took it (before faults). */
    void produced(Reading r) {
        if (r.isHot(threshold)) {
            Node n = byNode.get(key(r.network, r.node));
            if (n != null && n.onsetTimestamp == null) {
                n.onsetTimestamp = r.eventTimestamp;
            }
        }
    }

    /** A reading sent intact, and whether it was on time. */
    void delivered(Reading r, boolean onTime) {
        if (onTime && r.isHot(threshold)) {
            Node n = byNode.get(key(r.network, r.node));
            if (n != null && (n.deliveredOnsetTimestamp == null || r.eventTimestamp < n.deliveredOnsetTimestamp)) {
                n.deliveredOnsetTimestamp = r.eventTimestamp;
            }
        }
    }

    /** Fires as far as the run got: only sensors whose onset was reached, only fires with at least one. */
    public List<Fire> fires() {
        List<Fire> reached = new ArrayList<>();
        for (Fire f : fires) {
            List<Node> nodes = new ArrayList<>();
            for (Node n : f.nodes) {
                if (n.onsetTimestamp != null) {
                    nodes.add(n);
                }
            }
            if (!nodes.isEmpty() && nodes.get(0) == f.root()) {
                reached.add(new Fire(f.network, nodes));
            }
        }
        return reached;
    }

    /** Sensors burning at {@code time}: reached by fire less than {@code burnMillis} ago. */
    int[] burningAndActiveFires(long time, long burnMillis) {
        int burning = 0;
        int active = 0;
        for (Fire f : fires) {
            boolean any = false;
            for (Node n : f.nodes) {
                if (n.infectionTimestamp <= time && time < n.infectionTimestamp + burnMillis) {
                    burning++;
                    any = true;
                }
            }
            if (any) {
                active++;
            }
        }
        return new int[] {burning, active};
    }

    public ObjectNode toJson(ObjectMapper json, ObjectNode run) {
        ObjectNode root = json.createObjectNode();
        root.setAll(run);
        ArrayNode out = root.putArray("fires");
        for (Fire f : fires()) {
            ObjectNode fire = out.addObject();
            fire.put("network", f.network);
            putId(fire, "root", f.root().node);
            fire.put("ignitionTimestamp", f.root().infectionTimestamp);
            fire.put("ignitionTime", ContractJson.isoTime(f.root().infectionTimestamp));
            fire.put("sensors", f.nodes.size());
            ArrayNode nodes = fire.putArray("nodes");
            for (Node n : f.nodes) {
                ObjectNode o = nodes.addObject();
                putId(o, "node", n.node);
                if (n.infectedBy == null) {
                    o.putNull("infectedBy");
                } else {
                    putId(o, "infectedBy", n.infectedBy);
                }
                o.put("infectionTimestamp", n.infectionTimestamp);
                o.put("onsetTimestamp", n.onsetTimestamp);
                o.put("onsetTime", ContractJson.isoTime(n.onsetTimestamp));
                if (n.deliveredOnsetTimestamp == null) {
                    o.putNull("deliveredOnsetTimestamp");
                } else {
                    o.put("deliveredOnsetTimestamp", n.deliveredOnsetTimestamp);
                }
                if (n.lat != null) {
                    o.put("lat", n.lat);
                    o.put("lon", n.lon);
                }
            }
        }
        return root;
    }

    public void write(Path file, ObjectNode run) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, json.writeValueAsString(toJson(json, run)) + "\n");
    }

    /** Ids the simulator makes are numbers; written as JSON numbers, as the readings carry them. */
    private static void putId(ObjectNode o, String field, String id) {
        if (id.chars().allMatch(Character::isDigit) && id.length() < 10) {
            o.put(field, Integer.parseInt(id));
        } else {
            o.put(field, id);
        }
    }
}
