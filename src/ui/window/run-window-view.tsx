import {render} from 'ink';
import {EventStream, type Subscribable} from '../../core/event-stream.js';
import type {LateRecord, WindowEvent, WindowResult} from '../../patterns/window/events.js';
import type {WindowSnapshot} from '../../patterns/window/window-aggregation.js';
import {withAlternateScreen} from '../kit/alternate-screen.js';
import {WindowView} from './WindowView.js';

/**
 * Runs the live view full-screen while `running` goes on; q, Ctrl-C or SIGTERM
 * calls `stop` (the aggregation commits and ends). Resolves with what `running` gave.
 */
export async function runWindowView<T>(events: Subscribable<WindowEvent>, snapshot: () => WindowSnapshot, running: Promise<T>, stop: () => void): Promise<T> {
  return withAlternateScreen(async () => {
    const results = new EventStream<WindowResult>();
    const late = new EventStream<LateRecord>();
    const unsubscribe = events.subscribe((e) => {
      if (e.type === 'window-result') results.emit(e);
      else if (e.type === 'late-record') late.emit(e);
    });
    const instance = render(<WindowView events={events} results={results} late={late} snapshot={snapshot} onQuit={stop} />, {exitOnCtrlC: false, maxFps: 10});
    const quit = () => stop();
    process.once('SIGTERM', quit);
    process.once('SIGINT', quit);
    try {
      return await running;
    } finally {
      process.off('SIGTERM', quit);
      process.off('SIGINT', quit);
      unsubscribe();
      instance.unmount();
    }
  });
}
