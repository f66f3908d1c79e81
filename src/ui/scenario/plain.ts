import {isCommonEvent, type KindEvent, type ScenarioEvent} from '../../scenarios/events.js';
import type {ScenarioPresenter} from './presenter.js';

/** How often progress may print, and how often a run that waits says again what it waits for. */
const PROGRESS_EVERY_MS = 1000;
const WAITING_EVERY_MS = 3000;

/**
 * Plain output of a run (lines for stderr): that it started, notes, the kind's
 * own lines as they happen, and its progress at most once a second — only when
 * it changed; when nothing moves, what the run is waiting for.
 */
export function plainPrinter<E extends KindEvent, M extends object>(presenter: ScenarioPresenter<E, M>, print: (line: string) => void, clock: () => number = Date.now): (e: ScenarioEvent<E>) => void {
  let state = presenter.initial();
  let progressAt = 0;
  let waitingAt = 0;
  let lastLine = '';
  return (e) => {
    if (isCommonEvent(e) && e.type === 'scenario-started') print(`${e.resumed ? 'resuming' : 'running'} ${e.scenario} · run ${e.runId} · ${e.expected} records · topics ${e.topics.join(', ')}`);
    if (isCommonEvent(e) && e.type === 'scenario-note') print(e.text);
    state = presenter.fold(state, e);
    const line = presenter.plainLine(e);
    if (line) print(line);
    const now = clock();
    if (e.type === 'report' || now - progressAt < PROGRESS_EVERY_MS) return;
    const progress = presenter.progress(state, now);
    if (!progress) return;
    if (progress.line !== lastLine) {
      print(progress.line);
      lastLine = progress.line;
      progressAt = now;
    } else if (progress.waiting && now - waitingAt >= WAITING_EVERY_MS) {
      print(progress.waiting);
      waitingAt = progressAt = now;
    }
  };
}
