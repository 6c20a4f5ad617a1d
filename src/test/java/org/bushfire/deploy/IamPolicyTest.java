package org.bushfire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bushfire.deploy.DeployScripts.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instance role's policy grants the job its one stream, topic, domain, jar and state prefix — no more. */
class IamPolicyTest {
    @TempDir
    Path temp;

    DeployScripts scripts;

    @BeforeEach
    void fakes() {
        scripts = new DeployScripts(temp);
    }

    private Map<String, JsonNode> statements(Path settings) throws Exception {
        Result printed = scripts.run("iam-policy.sh", "--config", settings.toString());
        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        JsonNode policy = DeployScripts.JSON.readTree(printed.stdout());
        assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
        Map<String, JsonNode> bySid = new LinkedHashMap<>();
        policy.get("Statement").forEach(s -> bySid.put(s.get("Sid").asText(), s));
        return bySid;
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    @Test
    void everyStatementNamesItsOwnResources() throws Exception {
        Map<String, JsonNode> s = statements(scripts.settings());

        assertThat(s.keySet()).containsExactly("ReadReadingsStream", "ReadReadingsStreamByFanOut", "PublishAlerts",
                "IndexReadingsAndAlerts", "ReadJobArtifacts", "CheckpointsAndSavepoints", "ListCheckpointsAndSavepoints",
                "WriteClusterLogs");
        assertThat(list(s.get("ReadReadingsStream").get("Resource")))
                .containsExactly("arn:aws:kinesis:ap-southeast-2:123456789012:stream/sensor-readings");
        assertThat(list(s.get("ReadReadingsStream").get("Action"))).allMatch(a -> a.startsWith("kinesis:"))
                .doesNotContain("kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DeleteStream");
        assertThat(list(s.get("ReadReadingsStreamByFanOut").get("Resource"))).as("each job's own EFO consumer").containsExactly(
                "arn:aws:kinesis:ap-southeast-2:123456789012:stream/sensor-readings",
                "arn:aws:kinesis:ap-southeast-2:123456789012:stream/sensor-readings/consumer/bushfire-alerting:*",
                "arn:aws:kinesis:ap-southeast-2:123456789012:stream/sensor-readings/consumer/bushfire-indexing:*");
        assertThat(list(s.get("PublishAlerts").get("Resource")))
                .containsExactly("arn:aws:sns:ap-southeast-2:123456789012:bushfire-alerts");
        assertThat(list(s.get("PublishAlerts").get("Action"))).containsExactlyInAnyOrder("sns:Publish", "sns:GetTopicAttributes");
        assertThat(list(s.get("IndexReadingsAndAlerts").get("Resource")))
                .containsExactly("arn:aws:es:ap-southeast-2:123456789012:domain/bushfire/*");
        assertThat(list(s.get("ReadJobArtifacts").get("Action"))).containsExactly("s3:GetObject");
        assertThat(list(s.get("ReadJobArtifacts").get("Resource"))).containsExactly(
                "arn:aws:s3:::example-bushfire-artifacts/bushfire/jars/*",
                "arn:aws:s3:::example-bushfire-artifacts/bushfire/emr-bootstrap/*");
        assertThat(list(s.get("CheckpointsAndSavepoints").get("Resource")))
                .containsExactly("arn:aws:s3:::example-bushfire-state/bushfire/*");
        assertThat(s.get("ListCheckpointsAndSavepoints").at("/Condition/StringLike/s3:prefix").toString())
                .isEqualTo("[\"bushfire/*\"]");
        assertThat(list(s.get("WriteClusterLogs").get("Resource"))).containsExactly("arn:aws:s3:::example-bushfire-logs/emr/*");
        for (JsonNode statement : s.values()) {
            assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
            assertThat(list(statement.get("Action"))).noneMatch(a -> a.endsWith("*"));
            assertThat(list(statement.get("Resource"))).as(statement.get("Sid").asText())
                    .noneMatch(r -> r.equals("*") || r.matches("arn:aws:[a-z0-9]+:::?\\*"));
        }
    }

    @Test
    void theCredentialsSecretIsReadableOnlyWhenTheDeploymentUsesOne() throws Exception {
        String secret = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bushfire/es-AbCdEf";
        Map<String, JsonNode> s = statements(scripts.settings("ES_CREDENTIALS_SECRET_ARN", secret));
        assertThat(list(s.get("ReadElasticsearchCredentials").get("Action"))).containsExactly("secretsmanager:GetSecretValue");
        assertThat(list(s.get("ReadElasticsearchCredentials").get("Resource"))).containsExactly(secret);
    }
}
