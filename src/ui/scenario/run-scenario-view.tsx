import {render} from 'ink';
import type {LiveSource} from '../../core/event-stream.js';
import type {KindEvent} from '../../scenarios/events.js';
import type {ConnectionStatus, TopicSnapshot} from '../../kafka/topic-poller.js';
import {withAlternateScreen} from '../kit/alternate-screen.js';
import type {ScenarioPresenter} from './presenter.js';
import type {ScenarioModelState} from './scenario-model.js';
import {ScenarioView} from './ScenarioView.js';

export interface ScenarioViewHandle {
  /** Settles when the view is gone and the terminal restored. */
  done: Promise<void>;
  /** Closes the view now (the run failed before it could report). */
  close(): void;
}

/** Shows the scenario full-screen until it reports (or the user stops it), then restores the terminal. */
export function runScenarioView<E extends KindEvent, M extends object>(sources: {
  presenter: ScenarioPresenter<E, M>;
  model: LiveSource<ScenarioModelState<M>>;
  topics: LiveSource<readonly TopicSnapshot[]>;
  connection: LiveSource<ConnectionStatus>;
  onQuit: () => void;
}): ScenarioViewHandle {
  let unmount = () => {};
  const done = withAlternateScreen(async () => {
    const instance = render(<ScenarioView {...sources} />, {exitOnCtrlC: false, maxFps: 10});
    unmount = () => instance.unmount();
    await instance.waitUntilExit();
  });
  return {done, close: () => unmount()};
}
