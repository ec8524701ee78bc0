"""The local broker speaks real Kafka to both Python clients the project uses."""

from __future__ import annotations

import asyncio
import json
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic


def test_kafka_python_round_trip_with_keys_and_partitions(kafka_bootstrap, unique):
    topic = f"roundtrip-{unique}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    assert topic in admin.list_topics()
    admin.close()

    producer = KafkaProducer(
        bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True, compression_type="gzip",
        value_serializer=lambda v: json.dumps(v).encode(), key_serializer=str.encode,
    )
    for i in range(30):
        producer.send(topic, key=f"article-{i % 5}", value={"n": i})
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, group_id=f"g-{unique}", auto_offset_reset="earliest",
        value_deserializer=json.loads,
    )
    received = []
    deadline = time.monotonic() + 30
    while len(received) < 30 and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=1000).values():
            received += [(r.key.decode(), r.partition, r.value["n"]) for r in records]
    consumer.close()

    assert sorted(n for _, _, n in received) == list(range(30))
    partitions_per_key = {}
    for key, partition, _ in received:
        partitions_per_key.setdefault(key, set()).add(partition)
    assert all(len(p) == 1 for p in partitions_per_key.values()), "one key must always map to one partition"


def test_aiokafka_round_trip(kafka_bootstrap, unique):
    topic = f"aio-{unique}"

    async def round_trip() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            for i in range(10):
                await producer.send_and_wait(topic, f"message {i}".encode(), key=b"k")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=kafka_bootstrap, group_id=f"g-{unique}", auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=10000, max_records=100)
            values = [record.value for records in batches.values() for record in records]
            while len(values) < 10:
                more = await consumer.getmany(timeout_ms=5000)
                if not more:
                    break
                values += [record.value for records in more.values() for record in records]
            return values
        finally:
            await consumer.stop()

    values = asyncio.run(round_trip())
    assert values == [f"message {i}".encode() for i in range(10)]
