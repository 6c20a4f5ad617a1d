package org.bushfire.elasticsearch;

import org.bushfire.job.StartupCheckFailed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composable index templates of the readings and alerts indices, and their installation.
 *
 * <p>The template bodies live in {@value #READINGS_TEMPLATE} and {@value #ALERTS_TEMPLATE} (the dashboards
 * are checked against exactly these files). Installing one sets its {@code index_patterns} to
 * {@code ["<index>*"]}, its priority to the file's plus the name's length (a longer name wins where patterns
 * of several jobs' indices overlap), and its {@code number_of_replicas} from the settings, puts it under the
 * index's name,
 * creates the index if missing and checks that an existing index maps every template field the same way — an
 * index created before its template (dynamically mapped) would silently break geo queries and dashboards.
 * Running it again changes nothing.
 */
public final class IndexTemplates {
    public static final String READINGS_TEMPLATE = "elasticsearch/sensor-readings-template.json";
    public static final String ALERTS_TEMPLATE = "elasticsearch/bushfire-alerts-template.json";

    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexTemplates() {}

    /** The readings template as installed for {@code settings}. */
    public static ObjectNode readingsTemplate(ElasticsearchSettings settings) {
        return forIndex(READINGS_TEMPLATE, settings.readingsIndex(), settings.replicas());
    }

    public static ObjectNode alertsTemplate(ElasticsearchSettings settings) {
        return forIndex(ALERTS_TEMPLATE, settings.alertsIndex(), settings.replicas());
    }

    /** The template file's JSON as it is in the jar. */
    public static ObjectNode resource(String name) {
        try (InputStream in = IndexTemplates.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    private static ObjectNode forIndex(String resource, String index, int replicas) {
        ObjectNode template = resource(resource);
        template.putArray("index_patterns").add(index + "*");
        // Elasticsearch refuses two templates that can match one name at one priority, and "<index>*" of one
        // job's index can match another's ("sensor-readings*" and "sensor-readings-demo-1*"): the longer,
        // more specific name gets the higher priority, so both install and each index gets its own.
        template.put("priority", template.path("priority").asLong() + index.length());
        ((ObjectNode) template.path("template").path("settings")).put("number_of_replicas", replicas);
        return template;
    }

    /**
     * Installs both templates and makes sure both indices exist with the templates' mappings. Fails fast with
     * an {@link IllegalStateException} naming the option to check when Elasticsearch is unreachable or refuses.
     */
    public static void install(ElasticsearchSettings settings) {
        ElasticsearchSettings s = settings.resolved();
        try (RestClient client = ElasticsearchClients.restClient(s).build()) {
            Installer installer = new Installer(client, s);
            installer.install(s.readingsIndex(), readingsTemplate(s), "--es-readings-index");
            installer.install(s.alertsIndex(), alertsTemplate(s), "--es-alerts-index");
        } catch (IOException e) {
            // Only close() can get here; a failed close after a good install is not worth failing the job.
            LOG.warn("closing the Elasticsearch client failed: {}", e.toString());
        }
    }

    private static final class Installer {
        private final RestClient client;
        private final ElasticsearchSettings settings;

        Installer(RestClient client, ElasticsearchSettings settings) {
            this.client = client;
            this.settings = settings;
        }

        void install(String index, ObjectNode template, String option) {
            String path = URLEncoder.encode(index, StandardCharsets.UTF_8);
            Request put = new Request("PUT", "/_index_template/" + path);
            put.setJsonEntity(template.toString());
            send(put, "install index template '" + index + "'", option);

            Request create = new Request("PUT", "/" + path);
            create.setJsonEntity("{}");
            try {
                client.performRequest(create);
                LOG.info("created Elasticsearch index {}", index);
            } catch (ResponseException e) {
                String type = errorType(e);
                // An index (or an alias of rolled-over indices) of that name is fine if its mapping agrees.
                if (!"resource_already_exists_exception".equals(type) && !"invalid_index_name_exception".equals(type)) {
                    throw refused(e, "create index '" + index + "'", option);
                }
            } catch (IOException e) {
                throw unreachable(e);
            }

            JsonNode mappings = readJson(send(new Request("GET", "/" + path + "/_mapping"),
                    "read the mapping of index '" + index + "'", option));
            JsonNode templateMappings = template.path("template").path("mappings");
            Map<String, String> expected = fieldTypes(templateMappings);
            boolean missingFields = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = mappings.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> concrete = it.next();
                Map<String, String> actual = fieldTypes(concrete.getValue().path("mappings"));
                for (Map.Entry<String, String> field : expected.entrySet()) {
                    String type = actual.get(field.getKey());
                    if (type == null) {
                        missingFields = true;
                    } else if (!type.equals(field.getValue())) {
                        throw new StartupCheckFailed("Elasticsearch index '" + concrete.getKey() + "' maps field '"
                                + field.getKey() + "' as " + type + ", not " + field.getValue() + " as the template says: "
                                + "it was probably created before the template was installed. Delete or reindex it, "
                                + "or choose another " + option);
                    }
                }
            }
            if (missingFields) {
                // An older index (or a newer template): adding fields to a mapping is allowed, changing them is not.
                Request update = new Request("PUT", "/" + path + "/_mapping");
                update.setJsonEntity(templateMappings.toString());
                send(update, "add the template's fields to index '" + index + "'", option);
                LOG.info("added the template's missing fields to Elasticsearch index {}", index);
            }
            LOG.info("Elasticsearch index template '{}' installed for {}*", index, index);
        }

        private Response send(Request request, String action, String option) {
            try {
                return client.performRequest(request);
            } catch (ResponseException e) {
                throw refused(e, action, option);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }

        private StartupCheckFailed unreachable(IOException e) {
            if (e instanceof SSLException) {
                return new StartupCheckFailed("TLS handshake with Elasticsearch at " + settings.describeHosts()
                        + " failed (--es-hosts, --es-ca-cert or --es-truststore): " + e.getMessage(), e);
            }
            return new StartupCheckFailed("cannot reach Elasticsearch at " + settings.describeHosts()
                    + " (--es-hosts): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }

        private StartupCheckFailed refused(ResponseException e, String action, String option) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            String reason = errorReason(e);
            String hint;
            if (status == 401) {
                hint = "check the credentials (" + ElasticsearchSettings.USERNAME_ENV + "/" + ElasticsearchSettings.PASSWORD_ENV
                        + ", " + ElasticsearchSettings.API_KEY_ENV + " or --es-credentials-file)";
            } else if (status == 403) {
                hint = "the credentials lack the privileges manage_index_templates and create_index, index, "
                        + "view_index_metadata on the indices";
            } else {
                hint = "check " + option;
            }
            return new StartupCheckFailed("Elasticsearch at " + settings.describeHosts() + " refused to " + action
                    + " (HTTP " + status + ": " + reason + "); " + hint, e);
        }
    }

    /** Dotted field path → mapping type, for every field of a mapping (objects recurse). */
    static Map<String, String> fieldTypes(JsonNode mapping) {
        Map<String, String> types = new LinkedHashMap<>();
        collect(mapping.path("properties"), "", types);
        return types;
    }

    private static void collect(JsonNode properties, String prefix, Map<String, String> types) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            JsonNode definition = field.getValue();
            if (definition.has("properties")) {
                types.put(name, definition.path("type").asText("object"));
                collect(definition.path("properties"), name + ".", types);
            } else {
                types.put(name, definition.path("type").asText("object"));
            }
        }
    }

    private static JsonNode readJson(Response response) {
        try {
            return JSON.readTree(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String errorType(ResponseException e) {
        return errorBody(e).path("error").path("type").asText("");
    }

    private static String errorReason(ResponseException e) {
        JsonNode error = errorBody(e).path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        String reason = error.path("reason").asText("");
        return reason.isEmpty() ? e.getResponse().getStatusLine().getReasonPhrase() : error.path("type").asText() + ": " + reason;
    }

    private static JsonNode errorBody(ResponseException e) {
        try {
            return JSON.readTree(EntityUtils.toString(e.getResponse().getEntity(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException parseFailure) {
            return JSON.createObjectNode();
        }
    }
}
