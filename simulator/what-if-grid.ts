import type { DecisionModel, Dial } from './decision-model.ts';
import { baseValues } from './decision-model.ts';

/** One axis of the what-if grid: a dial and the values it is computed at. */
export interface GridAxis {
  dial: string;
  label: string;
  unit: string;
  levels: number[];
  base: number;
}

/** One point of the grid: the dial values (in axis order) and each policy's knee there. */
export interface GridRow {
  policy: string;
  /** Values of the axes, in {@link WhatIfGrid.axes} order. */
  at: number[];
  /** Knee with the load dials at their base (null: none); unbounded = nothing breaks below the limit. */
  knee: number | null;
  unbounded: boolean;
}

/** The precomputed grid behind the interactive what-if of report.html. */
export interface WhatIfGrid {
  axes: GridAxis[];
  /**
   * Dials that scale the load (shares of users online): followed continuously, the knee in users
   * times base / value for each (exact: the model depends on users × these dials only).
   */
  load: { dial: string; label: string; unit: string; low: number; base: number; high: number }[];
  policies: string[];
  scales: number[];
  rows: GridRow[];
  /** Relative precision of each knee (the search's tolerance). */
  tolerance: number;
}

function cartesian(levels: number[][]): number[][] {
  return levels.reduce<number[][]>((acc, ls) => acc.flatMap((a) => ls.map((l) => [...a, l])), [[]]);
}

/** Levels of a dial on the grid: its low, base and high (distinct, ascending). */
export function gridLevels(d: Dial): number[] {
  return [...new Set([d.low, d.base, d.high])].sort((a, b) => a - b);
}

/**
 * The knee of every policy at every combination of the axes' levels, with the decision model (each
 * knee searched from `guess`, else from the previous knee). Load dials are not axes: the knee in users
 * scales as base / value with each exactly, so the page follows them without a grid.
 */
export function whatIfGrid(
  model: DecisionModel,
  axisNames: readonly string[],
  tolerance: number,
  guess?: (values: Record<string, number>, policy: string) => number,
): WhatIfGrid {
  const dials = axisNames.map((n) => {
    const d = model.dials.find((x) => x.name === n);
    if (!d) throw new RangeError(`what-if axis ${n} is not a dial of the model`);
    return d;
  });
  const axes: GridAxis[] = dials.map((d) => ({
    dial: d.name,
    label: d.label,
    unit: d.unit,
    levels: gridLevels(d),
    base: d.base,
  }));
  const rows: GridRow[] = [];
  const base = baseValues(model.dials);
  for (const policy of model.policies) {
    const first = model.knee(base, policy, undefined, tolerance);
    let hint: number | undefined = first.users ?? undefined;
    for (const at of cartesian(axes.map((a) => a.levels))) {
      const values = { ...base };
      at.forEach((v, i) => {
        values[axes[i]!.dial] = v;
      });
      const g = guess?.(values, policy);
      const k = model.knee(values, policy, g !== undefined && g >= 1 ? g : hint, tolerance);
      if (k.users !== null && !k.unbounded) hint = k.users;
      rows.push({ policy, at, knee: k.users, unbounded: k.unbounded });
    }
  }
  return {
    axes,
    load: model.dials
      .filter((d) => d.scaling === 'load')
      .map((d) => ({ dial: d.name, label: d.label, unit: d.unit, low: d.low, base: d.base, high: d.high })),
    policies: [...model.policies],
    scales: [...model.scales],
    rows,
    tolerance,
  };
}
