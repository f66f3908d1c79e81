import kafkajs from 'kafkajs';
import type {Connection} from './connection.js';
import {withAdmin} from './client.js';

const {ConfigResourceTypes} = kafkajs;

/** Kafka's default max.message.bytes (1 MiB plus the batch overhead). */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * The topic's max.message.bytes; for a topic that does not exist yet (the
 * broker creates it on first write), the broker's message.max.bytes, else Kafka's default.
 */
export async function maxMessageBytes(conn: Connection, topic: string): Promise<number> {
  return withAdmin(conn, async (admin) => {
    const exists = (await admin.listTopics()).includes(topic);
    const resource = exists
      ? {type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes']}
      : {type: ConfigResourceTypes.BROKER, name: String((await admin.describeCluster()).brokers[0]?.nodeId ?? 1), configNames: ['message.max.bytes']};
    const described = await admin.describeConfigs({includeSynonyms: false, resources: [resource]});
    const value = Number(described.resources[0]?.configEntries[0]?.configValue);
    return Number.isInteger(value) && value > 0 ? value : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
  });
}
