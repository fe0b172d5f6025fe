/**
 * What the design-file tests measure: a design's outcome on a configuration, and whether it reaches
 * anything its base does not. Through the built package, as a user's test would: the design files
 * import 'grantcheck' too, and a wait (block) must be the class the running explorer knows.
 */
import { always, check, configByName, defineDesign, fingerprint, modelOf, patchChangesOf, reachOf, sameReach, shortNameOf, type Design, type Reach, type State } from 'grantcheck';

/** A check's outcome as recorded: distinct states, the properties violated (short names, with their counterexample lengths), witnesses not reached. */
export interface Outcome {
  readonly states: number;
  readonly violated: readonly string[];
  readonly unreached: readonly string[];
  /** Whether it reaches states (ghost variables aside) or transitions, kind by kind, that its base does not. */
  readonly changes: boolean;
}

const RECORD = 'the states reached (recorded for the comparison with the base)';

/**
 * The outcome of an exhaustive check of `design` on `config`, and whether it reaches anything its
 * base does not: the check records the states it reaches (a property of its own), and one more
 * search explores the base (reachOf).
 */
export function outcomeOf(design: Design, config: string): Outcome {
  const fingerprints = new Set<string>();
  const recorded = defineDesign({
    base: design,
    name: `${design.name}-recorded`,
    summary: 'records the states it reaches',
    properties: () => [
      always<State>(RECORD, (s) => {
        const { ghost: _ghost, ...kernel } = s;
        fingerprints.add(fingerprint(kernel));
        return true;
      }),
    ],
  });
  const r = check(modelOf(recorded, configByName(config)));
  if (!r.exhaustive) throw new Error(`${design.name} on ${config}: the search was not exhaustive`);
  const transitions: Record<string, { generated: number; distinct: number }> = {};
  for (const c of r.coverage) if (c.generated > 0) transitions[c.action] = { generated: c.generated, distinct: c.distinct };
  const mine: Reach = { states: r.stats.distinctStates, fingerprints, transitions, exhaustive: r.exhaustive };
  return {
    states: r.stats.distinctStates,
    violated: r.violations.map((v) => `${shortNameOf(v.property)}:${v.length}`).sort(),
    unreached: r.witnesses.filter((w) => !w.reached).map((w) => w.name),
    changes: !sameReach(mine, reachOf(patchChangesOf(design)!.base, configByName(config))),
  };
}
