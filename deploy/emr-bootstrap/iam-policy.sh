#!/usr/bin/env bash
# Prints the least-privilege IAM policy of the EMR instance profile's role (what the nodes and the job may
# do), built from the deployment settings; with --apply, puts it on the role as an inline policy.
set -euo pipefail

BF_SCRIPT=iam-policy.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

readonly POLICY_NAME=bushfire-alerting-job

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/iam-policy.sh --config FILE [--apply] [--dry-run] [--work-dir DIR]

Prints the policy document \$INSTANCE_ROLE needs, and nothing more. Both jobs (alerting: stream to topic;
indexing: stream to domain) run in YARN containers on the same nodes, so under this one role:
  read the one stream        kinesis: DescribeStream(Summary), ListShards, GetShardIterator, GetRecords;
                             enhanced fan-out on each job's own consumer (--kinesis-reader efo)
  publish to the one topic   sns: Publish, GetTopicAttributes (the job's start-up check)
  write the one domain       es: ESHttpGet/Head/Put/Post on \$ES_DOMAIN's paths (index templates, bulk)
  read the jar               s3: GetObject under \$ARTIFACTS_URI/jars/ and /emr-bootstrap/
  checkpoints and savepoints s3: Get/Put/DeleteObject under \$STATE_URI/, ListBucket of that prefix only
  EMR's logs                 s3: PutObject under \$LOG_URI
  with ES_CREDENTIALS_SECRET_ARN: secretsmanager:GetSecretValue on that secret
With --apply: aws iam put-role-policy --role-name \$INSTANCE_ROLE --policy-name $POLICY_NAME.

Options:
  --apply           put the policy on the role (otherwise only print it)
$BF_COMMON_HELP
EOF
}

# s3://bucket/some/prefix -> "bucket" and "some/prefix"
split_s3() { # uri bucket-var prefix-var
  local rest=${1#s3://}
  printf -v "$2" '%s' "${rest%%/*}"
  if [[ "$rest" == */* ]]; then
    rest=${rest#*/}
    printf -v "$3" '%s' "${rest%/}"
  else
    printf -v "$3" '%s' ""
  fi
}

prefixed() { # prefix path -> prefix/path, or path when there is no prefix
  if [[ -n "$1" ]]; then printf '%s/%s' "$1" "$2"; else printf '%s' "$2"; fi
}

policy_json() {
  local partition=aws artifacts_bucket artifacts_prefix state_bucket state_prefix log_bucket log_prefix
  [[ "$AWS_REGION" == cn-* ]] && partition=aws-cn
  [[ "$AWS_REGION" == us-gov-* ]] && partition=aws-us-gov
  split_s3 "$ARTIFACTS_URI" artifacts_bucket artifacts_prefix
  split_s3 "$STATE_URI" state_bucket state_prefix
  split_s3 "$LOG_URI" log_bucket log_prefix
  local stream="arn:$partition:kinesis:$AWS_REGION:$ACCOUNT_ID:stream/$KINESIS_STREAM"
  local domain="arn:$partition:es:$AWS_REGION:$ACCOUNT_ID:domain/$ES_DOMAIN"
  local secret=""
  if [[ -n "$ES_CREDENTIALS_SECRET_ARN" ]]; then
    secret=",
    {
      \"Sid\": \"ReadElasticsearchCredentials\",
      \"Effect\": \"Allow\",
      \"Action\": \"secretsmanager:GetSecretValue\",
      \"Resource\": \"$ES_CREDENTIALS_SECRET_ARN\"
    }"
  fi
  cat <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReadingsStream",
      "Effect": "Allow",
      "Action": ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
                 "kinesis:GetShardIterator", "kinesis:GetRecords"],
      "Resource": "$stream"
    },
    {
      "Sid": "ReadReadingsStreamByFanOut",
      "Effect": "Allow",
      "Action": ["kinesis:RegisterStreamConsumer", "kinesis:DescribeStreamConsumer",
                 "kinesis:ListStreamConsumers", "kinesis:SubscribeToShard"],
      "Resource": ["$stream", "$stream/consumer/bushfire-alerting:*", "$stream/consumer/bushfire-indexing:*"]
    },
    {
      "Sid": "PublishAlerts",
      "Effect": "Allow",
      "Action": ["sns:Publish", "sns:GetTopicAttributes"],
      "Resource": "$SNS_TOPIC_ARN"
    },
    {
      "Sid": "IndexReadingsAndAlerts",
      "Effect": "Allow",
      "Action": ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPut", "es:ESHttpPost"],
      "Resource": "$domain/*"
    },
    {
      "Sid": "ReadJobArtifacts",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": ["arn:$partition:s3:::$artifacts_bucket/$(prefixed "$artifacts_prefix" "jars/*")",
                   "arn:$partition:s3:::$artifacts_bucket/$(prefixed "$artifacts_prefix" "emr-bootstrap/*")"]
    },
    {
      "Sid": "CheckpointsAndSavepoints",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      "Resource": "arn:$partition:s3:::$state_bucket/$(prefixed "$state_prefix" "*")"
    },
    {
      "Sid": "ListCheckpointsAndSavepoints",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:$partition:s3:::$state_bucket",
      "Condition": {"StringLike": {"s3:prefix": ["$(prefixed "$state_prefix" "*")"]}}
    },
    {
      "Sid": "WriteClusterLogs",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:$partition:s3:::$log_bucket/$(prefixed "$log_prefix" "*")"
    }$secret
  ]
}
EOF
}

main() {
  local apply=false
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --apply) apply=true; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  bf_check_job_settings
  bf_require KINESIS_STREAM ES_DOMAIN LOG_URI INSTANCE_ROLE
  bf_check_s3_uri LOG_URI
  [[ "$KINESIS_STREAM" =~ ^[A-Za-z0-9_.-]+$ ]] || bf_die "KINESIS_STREAM must be a stream name (the policy names its ARN)"
  [[ "$ES_DOMAIN" =~ ^[a-z][a-z0-9-]{2,27}$ ]] || bf_die "ES_DOMAIN must be an OpenSearch Service domain name, got '$ES_DOMAIN'"
  if "$apply"; then
    bf_write_file "$BF_WORK_DIR/instance-role-policy.json" "$(policy_json)"
    bf_aws iam put-role-policy --role-name "$INSTANCE_ROLE" --policy-name "$POLICY_NAME" \
      --policy-document "file://$BF_WORK_DIR/instance-role-policy.json"
  else
    policy_json
  fi
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
