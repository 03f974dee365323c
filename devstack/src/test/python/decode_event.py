"""Reads Confluent-wire-format Avro records from a Kafka topic with Confluent's and Apache Avro's own Python libraries.

Usage: decode_event.py <bootstrap_servers> <registry_url> <topic> <expected_count> [<client.properties>]

The optional Kafka client properties file (as Kafka's Java tools take it: security.protocol, sasl.mechanism,
sasl.jaas.config) logs in, for example as ops on a secured dev stack. Consumes the topic from the beginning (a random
group id starting with ops-) until expected_count records arrived or 30 s passed. For each
record it checks the magic byte 0, fetches the writer schema by the 4-byte id with SchemaRegistryClient.get_schema,
decodes the Avro binary with avro.io.DatumReader and prints one JSON line {"key", "schema_id", "record"}. Exits non-zero
with a message on stderr when a record is not in the Confluent wire format or fewer records arrived.
"""
import io
import json
import re
import struct
import sys
import time
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException
from confluent_kafka.schema_registry import SchemaRegistryClient

TIMEOUT_SECONDS = 30


def to_json(value):
    """Avro's Python reader yields bytes, datetimes, decimals and UUIDs; JSON gets their str() form."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def decode(value, registry, readers):
    if value is None or len(value) < 5:
        raise ValueError("record value is %r, too short for the Confluent wire format" % (value,))
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != 0:
        raise ValueError("magic byte is %d, expected 0" % magic)
    if schema_id not in readers:
        writer_schema = avro.schema.parse(registry.get_schema(schema_id).schema_str)
        readers[schema_id] = avro.io.DatumReader(writer_schema)
    record = readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))
    return schema_id, record


def login(properties_file):
    """librdkafka takes the user and password as settings of their own, where Java clients take a JAAS line."""
    settings = {}
    with open(properties_file, encoding="utf-8") as f:
        for line in f:
            name, sep, value = line.strip().partition("=")
            if sep and not name.startswith("#"):
                settings[name.strip()] = value.strip()
    config = {"security.protocol": settings.get("security.protocol", "PLAINTEXT")}
    if "sasl.mechanism" in settings:
        config["sasl.mechanism"] = settings["sasl.mechanism"]
    user = re.search(r'username="([^"]*)"\s+password="([^"]*)"', settings.get("sasl.jaas.config", ""))
    if user:
        config["sasl.username"], config["sasl.password"] = user.group(1), user.group(2)
    return config


def main(bootstrap, registry_url, topic, expected_count, properties_file=None):
    registry = SchemaRegistryClient({"url": registry_url})
    config = {
        "bootstrap.servers": bootstrap,
        "group.id": "ops-decode-event-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
    if properties_file:
        config.update(login(properties_file))
    consumer = Consumer(config)
    readers = {}
    seen = 0
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        consumer.subscribe([topic])
        while seen < expected_count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            schema_id, record = decode(message.value(), registry, readers)
            key = message.key().decode("utf-8", errors="replace") if message.key() is not None else None
            print(json.dumps({"key": key, "schema_id": schema_id, "record": to_json(record)}, sort_keys=True), flush=True)
            seen += 1
    finally:
        consumer.close()
    if seen < expected_count:
        print("expected %d records on %s, got %d within %d s" % (expected_count, topic, seen, TIMEOUT_SECONDS),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] if len(sys.argv) == 6 else None)
