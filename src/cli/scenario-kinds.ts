import {Flags, type Interfaces} from '@oclif/core';
import {COMMON_FLAGS, type KindFlag, type KindFlags} from '../scenarios/flags.js';
import type {KindEvent} from '../scenarios/events.js';
import type {ScenarioKind} from '../scenarios/kinds.js';
import {claimCheckKind} from '../scenarios/claim-check/kind.js';
import {errorHandlingKind} from '../scenarios/error-handling/kind.js';
import {eosKind} from '../scenarios/exactly-once/kind.js';
import {replayKind} from '../scenarios/replay/kind.js';
import {sagaKind} from '../scenarios/saga/kind.js';
import {evolutionKind} from '../scenarios/schema-evolution/kind.js';
import {windowKind} from '../scenarios/window/kind.js';
import {claimCheckPresenter} from '../ui/scenario/claim-check/presenter.js';
import {outboxKind} from '../scenarios/outbox/kind.js';
import {errorHandlingPresenter} from '../ui/scenario/error-handling/presenter.js';
import {eosPresenter} from '../ui/scenario/exactly-once/presenter.js';
import type {ScenarioPresenter} from '../ui/scenario/presenter.js';
import {replayPresenter} from '../ui/scenario/replay/presenter.js';
import {sagaPresenter} from '../ui/scenario/saga/presenter.js';
import {evolutionPresenter} from '../ui/scenario/schema-evolution/presenter.js';
import {windowPresenter} from '../ui/scenario/window/presenter.js';
import {outboxPresenter} from '../ui/scenario/outbox/presenter.js';

/** A scenario kind and how it is shown; the type parameters make sure both speak of the same events. */
export interface KindEntry {
  kind: ScenarioKind;
  presenter: ScenarioPresenter<KindEvent, object>;
}

function pair<S, F extends KindFlags, E extends KindEvent, M extends object>(kind: ScenarioKind<S, F, E>, presenter: ScenarioPresenter<E, M>): KindEntry {
  return {kind: kind as unknown as ScenarioKind, presenter: presenter as unknown as ScenarioPresenter<KindEvent, object>};
}

/** Every scenario kind kpat runs, with its presenter: adding a kind adds one line here. */
export const SCENARIO_KINDS: readonly KindEntry[] = [
  pair(errorHandlingKind, errorHandlingPresenter),
  pair(sagaKind, sagaPresenter),
  pair(replayKind, replayPresenter),
  pair(eosKind, eosPresenter),
  pair(windowKind, windowPresenter),
  pair(evolutionKind, evolutionPresenter),
  pair(claimCheckKind, claimCheckPresenter),
  pair(outboxKind, outboxPresenter),
];

type Letter = Interfaces.AlphabetLowercase | Interfaces.AlphabetUppercase;

function oclifFlag(flag: KindFlag<unknown>, summary: string, helpGroup?: string, shared = false) {
  // A name several kinds take (--crash) may mean a choice for one and a number for another: each kind's parse checks it.
  const options = flag.options && !shared ? [...flag.options] : undefined;
  const common = {summary, helpGroup, char: flag.char as Letter, options};
  return flag.multiple ? Flags.string({...common, multiple: true}) : Flags.string(common);
}

/**
 * The command's scenario flags: the common ones, then every kind's, grouped
 * in --help by the kinds that take them. The command accepts them all; a run
 * refuses those its kind does not declare (parseKindFlags).
 */
export function scenarioFlags(kinds: readonly ScenarioKind[] = SCENARIO_KINDS.map((e) => e.kind)) {
  const flags: Record<string, ReturnType<typeof oclifFlag>> = {};
  for (const [name, flag] of Object.entries(COMMON_FLAGS)) flags[name] = oclifFlag(flag, flag.summary);
  const names = [...new Set(kinds.flatMap((k) => Object.keys(k.flags)))];
  for (const name of names) {
    const owners = kinds.filter((k) => name in k.flags);
    const first = owners[0]!.flags[name]!;
    const choices = (f: KindFlag<unknown>) => (f.options ? ` (${f.options.join('|')})` : '');
    const summary = owners.length === 1 ? first.summary : owners.map((k) => `${k.label}: ${k.flags[name]!.summary}${choices(k.flags[name]!)}`).join(' ');
    flags[name] = oclifFlag(first, summary, owners.map((k) => k.label.toUpperCase()).join(', '), owners.length > 1);
  }
  return flags;
}
