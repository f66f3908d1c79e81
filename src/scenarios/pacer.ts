/**
 * Sends `count` items at `rate` per second (0 = as fast as possible) in small
 * batches, so a scenario's load is what it says, not a burst.
 */
export async function paced(count: number, rate: number, send: (from: number, to: number) => Promise<void>, signal?: AbortSignal, onProgress?: (sent: number) => void): Promise<number> {
  const started = Date.now();
  const batch = rate <= 0 ? 200 : Math.max(1, Math.min(200, Math.round(rate / 20)));
  let sent = 0;
  while (sent < count && !signal?.aborted) {
    const to = Math.min(count, sent + batch);
    await send(sent, to);
    sent = to;
    onProgress?.(sent);
    if (rate > 0) {
      const dueAt = started + (sent / rate) * 1000;
      const wait = dueAt - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  return sent;
}
