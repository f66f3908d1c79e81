import {useStdout} from 'ink';
import {useCallback, useEffect, useRef, useState, useSyncExternalStore} from 'react';
import type {LiveSource, Subscribable} from '../../core/event-stream.js';

/** The current value of a live source (a poller's snapshots, a connection status), re-rendering when it changes. */
export function useLive<T>(source: LiveSource<T>): T {
  const subscribe = useCallback((changed: () => void) => source.subscribe(() => changed()), [source]);
  return useSyncExternalStore(subscribe, () => source.current());
}

export interface EventBuffer<E> {
  /** The latest events, oldest first, at most `capacity`; frozen while paused. */
  items: readonly E[];
  /** Events taken so far (counting on while paused). */
  received: number;
}

export interface EventBufferOptions {
  capacity?: number;
  /** Re-render at most this often, however fast events come. */
  flushMs?: number;
  paused?: boolean;
  /** Take no more events after this many. */
  limit?: number;
}

/** Collects the recent events of a stream (records, pattern events) for a tail, re-rendering a few times a second at most. */
export function useEventBuffer<E>(stream: Subscribable<E>, {capacity = 1000, flushMs = 100, paused = false, limit}: EventBufferOptions = {}): EventBuffer<E> {
  const buffer = useRef<E[]>([]);
  const received = useRef(0);
  const dirty = useRef(false);
  const [shown, setShown] = useState<EventBuffer<E>>({items: [], received: 0});

  useEffect(
    () =>
      stream.subscribe((event) => {
        if (limit !== undefined && received.current >= limit) return;
        buffer.current.push(event);
        // Trim in batches, not on every event.
        if (buffer.current.length >= 2 * capacity) buffer.current.splice(0, buffer.current.length - capacity);
        received.current++;
        dirty.current = true;
      }),
    [stream, capacity, limit],
  );

  useEffect(() => {
    const flush = () => {
      if (!dirty.current) return;
      if (!paused) dirty.current = false;
      setShown((before) => ({items: paused ? before.items : buffer.current.slice(-capacity), received: received.current}));
    };
    flush();
    const timer = setInterval(flush, flushMs);
    return () => clearInterval(timer);
  }, [paused, flushMs, capacity]);

  return shown;
}

/** Columns and rows of the terminal, following resizes. */
export function useTerminalSize(): {columns: number; rows: number} {
  const {stdout} = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const resized = () => setSize(sizeOf(stdout));
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return size;
}

const sizeOf = (stdout: NodeJS.WriteStream) => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
