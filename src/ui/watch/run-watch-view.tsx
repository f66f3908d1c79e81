import {render} from 'ink';
import type {TopicWatchSources} from '../../kafka/topic-watch.js';
import {WatchView, type WatchViewProps} from './WatchView.js';

// The alternate screen keeps the user's scrollback intact and is restored on exit.
const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Runs the live view full-screen until q, Ctrl-C or SIGTERM, then restores the terminal. */
export async function runWatchView(watch: TopicWatchSources, opts: Omit<WatchViewProps, 'watch' | 'size'> = {}): Promise<void> {
  const stdout = process.stdout;
  stdout.write(ENTER_ALT_SCREEN);
  const leave = () => stdout.write(LEAVE_ALT_SCREEN);
  process.once('exit', leave);
  // Ink 6.8's incremental mode misplaces frames that end with a newline (every frame shorter than the
  // screen), so frames are redrawn whole, inside a synchronized update; 10 per second are plenty.
  const instance = render(<WatchView watch={watch} {...opts} />, {exitOnCtrlC: true, maxFps: 10});
  const quit = () => instance.unmount();
  process.once('SIGTERM', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', quit);
    process.off('exit', leave);
    leave();
  }
}
