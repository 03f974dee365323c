"""Independent check of Slipway's wire format with Confluent's own Python client (Debian python3-confluent-kafka).

Usage: confluent_python_roundtrip.py REGISTRY_URL < lines of "TOPIC HEX_PAYLOAD"
For each line, decodes the payload with confluent_kafka's MessageSerializer (schema fetched from the registry by the
id in the payload), prints the decoded record as JSON, then re-encodes it for the same topic (registering the schema
under TOPIC-value as Confluent's serializer does) and prints the new payload as hex.
"""
import json
import sys

from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def main():
    client = CachedSchemaRegistryClient({"url": sys.argv[1]})
    serializer = MessageSerializer(client)
    for line in sys.stdin:
        if not line.strip():
            continue
        topic, payload_hex = line.split()
        payload = bytes.fromhex(payload_hex)
        record = serializer.decode_message(payload)
        schema = client.get_by_id(int.from_bytes(payload[1:5], "big"))
        encoded = serializer.encode_record_with_schema(topic, schema, record)
        print(json.dumps(record, default=str, sort_keys=True))
        print(encoded.hex())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
