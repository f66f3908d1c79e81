/**
 * The broker's open segment files, bounded. A descriptor per segment per partition would make
 * the broker's open files grow with the partition count until the process limit (EMFILE) fails
 * a topic creation or an accept() half way. So every segment file, active ones included, is
 * opened on demand through one pool per broker, which keeps at most `capacity` of them open and
 * closes the least recently used one to make room; the next read or append reopens it.
 *
 * Closing a file that was written but not yet fsynced loses nothing: the data is in the page
 * cache, and an fsync through a later descriptor of the same file makes it durable. A
 * descriptor in use by an asynchronous fsync is pinned and never closed under it. While the
 * working set fits under the cap nothing is reopened, so the hot path stays a Map lookup.
 */
import {closeSync, openSync} from 'node:fs';

export interface PooledFile {
  readonly path: string;
  /** Flags for the next open ('wx+' to create, then 'r+' or 'r'). */
  flags: string;
  fd: number | null;
  pins: number;
  /** Closed by its owner while pinned: close once the last pin goes. */
  closeWhenUnpinned: boolean;
}

export function pooledFile(path: string, flags: string): PooledFile {
  return {path, flags, fd: null, pins: 0, closeWhenUnpinned: false};
}

export class FdPool {
  /** Open files, least recently used first (a Map keeps insertion order). */
  private readonly lru = new Map<PooledFile, true>();
  /** Files opened so far (first opens and reopens), to observe the cache. */
  opens = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`open file cap must be a positive integer, got ${capacity}`);
  }

  get openCount(): number {
    return this.lru.size;
  }

  /** The file's descriptor, opened (after making room) if it is not open. Use it before the next call. */
  fd(file: PooledFile): number {
    if (file.fd !== null) {
      if (!file.closeWhenUnpinned) {
        this.lru.delete(file);
        this.lru.set(file, true);
      }
      return file.fd;
    }
    this.shrinkTo(this.capacity - 1);
    file.fd = this.open(file);
    file.closeWhenUnpinned = false;
    this.lru.set(file, true);
    return file.fd;
  }

  /** The descriptor, kept open until unpin() (for asynchronous use such as fsync). */
  pin(file: PooledFile): number {
    const fd = this.fd(file);
    file.pins++;
    return fd;
  }

  unpin(file: PooledFile): void {
    file.pins = Math.max(0, file.pins - 1);
    if (file.pins > 0) return;
    if (file.closeWhenUnpinned) this.closeNow(file);
    // Pins may have held the pool above its cap: back under it now.
    else this.shrinkTo(this.capacity);
  }

  /** Closes the file now, or when its last pin goes. */
  close(file: PooledFile): void {
    if (file.fd === null) return;
    if (file.pins > 0) {
      file.closeWhenUnpinned = true;
      this.lru.delete(file);
      return;
    }
    this.closeNow(file);
  }

  private open(file: PooledFile): number {
    this.opens++;
    try {
      return openSync(file.path, file.flags);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EMFILE' && code !== 'ENFILE') || this.lru.size === 0) throw error;
      // The process limit is tighter than the cap (sockets, other files): give back half and retry.
      this.shrinkTo(Math.floor(this.lru.size / 2));
      return openSync(file.path, file.flags);
    }
  }

  private shrinkTo(size: number): void {
    if (this.lru.size <= size) return;
    for (const file of this.lru.keys()) {
      if (this.lru.size <= size) break;
      if (file.pins === 0) this.closeNow(file);
    }
  }

  private closeNow(file: PooledFile): void {
    this.lru.delete(file);
    const fd = file.fd;
    file.fd = null;
    file.closeWhenUnpinned = false;
    if (fd !== null) closeSync(fd);
  }
}
