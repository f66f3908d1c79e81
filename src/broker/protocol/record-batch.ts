/**
 * Kafka record batch v2, in three parts: the header (batch-header.ts), validation and iteration
 * (batch-validation.ts), and the records inside (batch-records.ts). Import from here.
 */
export * from './batch-header.js';
export * from './batch-validation.js';
export * from './batch-records.js';
