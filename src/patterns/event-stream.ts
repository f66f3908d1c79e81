/**
 * A typed stream of pattern events. The live view and the NDJSON renderer are
 * two subscribers to the same stream, so what the screen shows and what tests
 * read are the same facts.
 */
export class EventStream<E> {
  private readonly listeners = new Set<(event: E) => void>();

  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const l of this.listeners) l(event);
  }
}
