/**
 * Pattern events travel on the same stream type live views subscribe to: the
 * Ink view and the NDJSON renderer are two subscribers to one stream, so what
 * the screen shows and what tests read are the same facts.
 */
export {EventStream} from '../kafka/live.js';
