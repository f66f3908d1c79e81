import {render} from 'ink';
import type {TopicWatchSources} from '../../kafka/topic-watch.js';
import {withAlternateScreen} from '../kit/alternate-screen.js';
import {WatchView, type WatchViewProps} from './WatchView.js';

/** Runs the live view full-screen until q, Ctrl-C or SIGTERM, then restores the terminal. */
export async function runWatchView(watch: TopicWatchSources, opts: Omit<WatchViewProps, 'watch' | 'size'> = {}): Promise<void> {
  await withAlternateScreen(async () => {
    // Ink 6.8's incremental mode misplaces frames that end with a newline (every frame shorter than the
    // screen), so frames are redrawn whole, inside a synchronized update; 10 per second are plenty.
    const instance = render(<WatchView watch={watch} {...opts} />, {exitOnCtrlC: true, maxFps: 10});
    const quit = () => instance.unmount();
    process.once('SIGTERM', quit);
    try {
      await instance.waitUntilExit();
    } finally {
      process.off('SIGTERM', quit);
    }
  });
}
