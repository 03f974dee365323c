"""Exercises the Slipway devstack schema registry with Confluent's own Python SchemaRegistryClient.

Usage: registry_client_check.py <registry_url> <subject>

Prints one JSON object with what the client saw; exits non-zero with a message on stderr when the registry
answers differently from a Confluent Schema Registry.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = ('{"type":"record","name":"Greeting","namespace":"io.slipway.check",'
      '"fields":[{"name":"text","type":"string"}]}')
V2_COMPATIBLE = ('{"type":"record","name":"Greeting","namespace":"io.slipway.check",'
                 '"fields":[{"name":"text","type":"string"},{"name":"lang","type":"string","default":"en"}]}')
V3_INCOMPATIBLE = ('{"type":"record","name":"Greeting","namespace":"io.slipway.check",'
                   '"fields":[{"name":"text","type":"string"},{"name":"lang","type":"string"},'
                   '{"name":"loud","type":"boolean"}]}')


def check(condition, message):
    if not condition:
        print("MISMATCH: " + message, file=sys.stderr)
        sys.exit(1)


def main(url, subject):
    client = SchemaRegistryClient({"url": url})
    result = {}

    schema_id = client.register_schema(subject, Schema(V1, "AVRO"))
    result["id"] = schema_id

    by_id = client.get_schema(schema_id)
    check(json.loads(by_id.schema_str) == json.loads(V1), "get_schema(%d) returned %s" % (schema_id, by_id.schema_str))
    check(by_id.schema_type == "AVRO", "schema type %s" % by_id.schema_type)
    result["schema_by_id"] = json.loads(by_id.schema_str)

    latest = client.get_latest_version(subject)
    check(latest.schema_id == schema_id, "latest id %s != %s" % (latest.schema_id, schema_id))
    check(latest.subject == subject and latest.version == 1, "latest is %s v%s" % (latest.subject, latest.version))
    result["latest"] = {"id": latest.schema_id, "subject": latest.subject, "version": latest.version}

    fresh = SchemaRegistryClient({"url": url})
    result["same_schema_same_id"] = fresh.register_schema(subject, Schema(V1, "AVRO")) == schema_id
    looked_up = fresh.lookup_schema(subject, Schema(V1, "AVRO"))
    check(looked_up.schema_id == schema_id and looked_up.version == 1, "lookup gave %s" % looked_up.schema_id)

    result["compatible_change_accepted"] = client.test_compatibility(subject, Schema(V2_COMPATIBLE, "AVRO"))
    v2_id = client.register_schema(subject, Schema(V2_COMPATIBLE, "AVRO"))
    check(v2_id > schema_id, "compatible change got id %d, not above %d" % (v2_id, schema_id))
    result["versions"] = client.get_versions(subject)

    result["incompatible_change_accepted"] = client.test_compatibility(subject, Schema(V3_INCOMPATIBLE, "AVRO"))
    try:
        client.register_schema(subject, Schema(V3_INCOMPATIBLE, "AVRO"))
        check(False, "incompatible schema was registered")
    except SchemaRegistryError as e:
        result["incompatible"] = {"http_status_code": e.http_status_code, "error_code": e.error_code,
                                  "message": e.error_message}
    check(result["incompatible"]["http_status_code"] == 409, "incompatible change answered %s" % result["incompatible"])

    try:
        client.get_schema(987654321)
        check(False, "unknown id was found")
    except SchemaRegistryError as e:
        result["unknown_id"] = {"http_status_code": e.http_status_code, "error_code": e.error_code}

    client.set_compatibility(subject_name=subject, level="FULL")
    result["subject_compatibility"] = client.get_compatibility(subject_name=subject)
    result["subjects_contain_subject"] = subject in client.get_subjects()

    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
