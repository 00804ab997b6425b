/*
 * What-if calculator, part 2: the scorecard.
 *
 * scoreEvaluation(inputs) recomputes an evaluation's scorecard from the JSON document written by
 * generator/render/calculator/export.py, figure for figure as generator/score/engine.py and
 * aggregate.py do, on exact fractions: effective weights shared among applicable siblings (or among
 * all applicable leaves) in proportion to their weights, apportioned by largest remainder where the
 * method rounds indicators; points rounded half-up at the steps the method rounds; the aggregation
 * stages (base, bonus under its condition and cap, cap, veto, grade); modes combined by weight;
 * bands with inclusive or exclusive bounds. A test runs both scorers and compares every figure.
 *
 * Needs whatif-rules.js; defines globalThis.ZwpjWhatIf.
 */
(function (root) {
  "use strict";

  const R = root.ZwpjWhatIfRules;
  const N = R.toNumber;

  /** The entries of one mode as a Map (ids such as "constructor" must not hit Object.prototype). */
  function entryMap(inputs, modeId) {
    const found = (inputs.modes || []).find((m) => (m.id === undefined ? null : m.id) === modeId);
    return new Map(Object.entries(found ? found.entries : {}));
  }

  const rounds = (system, step) => system.rounding.round_at.indexOf(step) >= 0;

  /** engine.Scorer: scores one mode's entries against the system. */
  function scoreMode(system, entries, measured) {
    const rounding = system.rounding;
    const roundIndicator = rounds(system, "indicator");
    const roundDimension = rounds(system, "dimension");
    const out = [];
    const bonuses = [];
    const kids = (ind) => ind.children || [];
    const weight = (ind) => R.exact(ind.weight);
    const positive = (ind) => R.cmp(weight(ind), R.Q0) > 0;
    let globalShares = null;

    function applicable(ind) {
      if (kids(ind).length) return kids(ind).some((c) => positive(c) && applicable(c));
      const entry = entries.get(ind.id);
      return !(entry && entry.not_applicable);
    }

    function shares(nodes, effParent, digits) {
      if (globalShares !== null) return nodes.map((n) => globalShares.get(n.id));
      const live = R.sum(nodes.filter((n) => applicable(n) && positive(n)).map(weight));
      if (R.cmp(live, R.Q0) === 0) return nodes.map(() => R.Q0);
      const values = nodes.map((n) => (applicable(n) ? R.div(R.mul(weight(n), effParent), live) : R.Q0));
      return roundIndicator ? R.apportionExact(values, effParent, digits) : values;
    }

    function allApplicable(dims, scale) {
      const leaves = [];
      const walk = (ind) => { if (kids(ind).length) kids(ind).forEach(walk); else leaves.push(ind); };
      dims.forEach(walk);
      const live = leaves.map((n) => positive(n) && applicable(n));
      const total = R.sum(leaves.filter((n, i) => live[i]).map(weight));
      const some = R.cmp(total, R.Q0) !== 0;
      let values = leaves.map((n, i) => (live[i] && some ? R.div(R.mul(weight(n), scale), total) : R.Q0));
      if (roundIndicator && some) values = R.apportionExact(values, scale, rounding.indicator);
      const found = new Map(leaves.map((n, i) => [n.id, values[i]]));
      const addUp = (ind) => {
        if (kids(ind).length) found.set(ind.id, R.sum(kids(ind).map(addUp)));
        return found.get(ind.id);
      };
      dims.forEach(addUp);
      return found;
    }

    function roundAt(value, depth) {
      if (depth === 1) return roundDimension ? R.roundExact(value, rounding.dimension) : value;
      return roundIndicator ? R.roundExact(value, rounding.indicator) : value;
    }

    function outcome(ind, entry) {
      const rule = ind.rule;
      // A figure typed into the calculator (manual) replaces the dataset's; exports never set it.
      const figure = rule.measure && !entry.manual ? measured.get(rule.measure) : undefined;
      if (!entry.ratings || entry.ratings.length === 0) {
        return R.evaluateRule(rule, weight(ind), entry.observation, figure);
      }
      const each = entry.ratings.map((obs) => R.evaluateRule(rule, weight(ind), obs, figure));
      const fraction = R.combine(each.map((o) => o.fraction), system.raters);
      return {
        fraction: fraction,
        bonus: R.combine(each.map((o) => o.bonus), system.raters),
        vetoed: R.cmp(fraction, R.q(BigInt(1), BigInt(2))) < 0 && each.some((o) => o.vetoed),
      };
    }

    function leaf(ind, eff, common) {
      const entry = entries.get(ind.id);
      if (!entry) {
        out.push(Object.assign(common, { status: "missing", fraction: 0.0, points: 0.0 }));
        return R.Q0;
      }
      if (entry.not_applicable) {
        out.push(Object.assign(common, { status: "not_applicable", fraction: null, points: null }));
        return R.Q0;
      }
      const o = outcome(ind, entry);
      const points = positive(ind) ? roundAt(R.mul(eff, o.fraction), common.depth) : R.Q0;
      const bonus = roundAt(o.bonus, common.depth);
      bonuses.push(bonus);
      out.push(Object.assign(common, {
        status: "scored", fraction: N(o.fraction), points: N(points), vetoed: o.vetoed, bonus: N(bonus),
      }));
      return points;
    }

    /** engine.Scorer._group: a weight-0 group of veto and bonus indicators, shown as assessed. */
    function group(common, below) {
      const leaves = below.filter((i) => i.is_leaf);
      const scored = leaves.some((i) => i.status === "scored");
      const na = leaves.length > 0 && leaves.every((i) => i.status === "not_applicable");
      return Object.assign(common, {
        status: scored ? "scored" : na ? "not_applicable" : "missing", fraction: null, points: scored ? 0.0 : null,
      });
    }

    function node(ind, eff, depth, parent, dimension) {
      const common = {
        id: ind.id, name: ind.name, depth: depth, parent: parent, dimension: dimension,
        is_leaf: kids(ind).length === 0, rule_kind: ind.rule ? ind.rule.kind : null, weight: N(weight(ind)),
        effective_weight: N(eff), bonus: 0.0, vetoed: false,
      };
      if (common.is_leaf) return leaf(ind, eff, common);
      const position = out.length;
      out.push(null); // placeholder keeps depth-first order
      const sh = shares(kids(ind), eff, rounding.indicator);
      const total = R.sum(kids(ind).map((c, i) => node(c, sh[i], depth + 1, ind.id, dimension)));
      common.rule_kind = null;
      if (!positive(ind)) {
        out[position] = group(common, out.slice(position + 1));
        return R.Q0;
      }
      const live = applicable(ind);
      const points = live ? roundAt(total, depth) : null;
      out[position] = Object.assign(common, {
        status: live ? "scored" : "not_applicable",
        fraction: points === null ? null : R.cmp(eff, R.Q0) !== 0 ? N(R.div(points, eff)) : 0.0,
        points: points === null ? null : N(points),
      });
      return points || R.Q0;
    }

    const dims = system.indicators;
    const scale = R.exact(system.scale);
    if (system.not_applicable === "all_applicable") globalShares = allApplicable(dims, scale);
    const sh = shares(dims, scale, Math.min(rounding.dimension, rounding.indicator));
    let base = R.sum(dims.map((d, i) => node(d, sh[i], 1, null, d.id)));
    if (roundDimension) base = R.roundExact(base, rounding.dimension);
    let bonus = R.sum(bonuses);
    if (roundIndicator) bonus = R.roundExact(bonus, rounding.indicator);
    return { indicators: out, base: base, bonusRaw: bonus, vetoes: out.filter((i) => i.vetoed).map((i) => i.id) };
  }

  /** model.numbers.parse_condition and holds: "base > 80" tested on the figures so far. */
  function conditionHolds(text, base, running) {
    const m = /^\s*(base|total)\s*(>=|<=|>|<|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
    if (!m) throw new R.Problem("条件无法理解：" + text);
    const c = R.cmp(m[1] === "base" ? base : running, R.exact(Number(m[3])));
    return { ">": c > 0, ">=": c >= 0, "≥": c >= 0, "<": c < 0, "<=": c <= 0, "≤": c <= 0 }[m[2]];
  }

  /** aggregate._stages_of_mode: the running total after the bonus and cap stages. */
  function numericStages(system, mode) {
    let running = mode.base;
    let added = R.Q0;
    for (const stage of system.stages) {
      if (stage.stage === "bonus") {
        const cap = R.exact(stage.cap !== null && stage.cap !== undefined ? stage.cap : system.bonus_cap);
        const earned = R.qmin(mode.bonusRaw, cap);
        if (stage.when !== null && stage.when !== undefined && !conditionHolds(stage.when, mode.base, running)) continue;
        running = R.add(running, earned);
        added = R.add(added, earned);
      } else if (stage.stage === "cap") {
        running = R.qmin(running, R.exact(stage.max));
      }
    }
    return { running: running, added: added };
  }

  /** aggregate.in_band: whether a total lies in a band, each bound inclusive or exclusive. */
  function inBand(band, total) {
    const low = R.cmp(total, R.exact(band.min));
    if (low < 0 || (low === 0 && band.min_inclusive === false)) return false;
    if (band.max === null || band.max === undefined) return true;
    const high = R.cmp(total, R.exact(band.max));
    return high < 0 || (high === 0 && band.max_inclusive === true);
  }

  /** aggregate.grade_for: the band a total falls in ("" without bands). */
  function gradeFor(system, total) {
    const bands = system.grades;
    if (!bands.length) return "";
    const value = R.exact(total);
    for (const band of bands) if (inBand(band, value)) return band.name;
    const last = bands[bands.length - 1];
    return R.cmp(value, R.exact(last.min)) < 0 ? last.name : bands[0].name;
  }

  /** aggregate.score_evaluation on the exported inputs; throws R.Problem for an unfit observation. */
  function scoreEvaluation(inputs) {
    if (!inputs || inputs.format !== R.FORMAT) throw new R.Problem("计算器数据格式版本不符");
    const system = inputs.system;
    const measured = new Map(Object.entries(inputs.measured || {}));
    const modes = system.modes.length ? system.modes : [null];
    const roundTotal = rounds(system, "total");
    const results = modes.map((m) => {
      const r = scoreMode(system, entryMap(inputs, m ? m.id : null), measured);
      const after = numericStages(system, r);
      r.id = m ? m.id : null;
      r.name = m ? m.name : "";
      r.weight = m ? m.weight : 1;
      r.exactTotal = roundTotal ? R.roundExact(after.running, system.rounding.total) : after.running;
      r.total = N(r.exactTotal);
      r.base_total = N(r.base);
      r.bonus = N(after.added);
      return r;
    });
    let final = results[0].exactTotal;
    if (system.modes.length) {
      final = R.sum(results.map((r) => R.mul(R.exact(r.weight), r.exactTotal)));
      if (roundTotal) final = R.roundExact(final, system.rounding.total);
    }
    const vetoes = [...new Set(results.flatMap((r) => r.vetoes))];
    const byPoints = gradeFor(system, final);
    const veto = system.stages.find((s) => s.stage === "veto");
    let grade = byPoints;
    let total = final;
    if (vetoes.length && veto) {
      grade = veto.grade || (system.grades.length ? system.grades[system.grades.length - 1].name : "");
      if (veto.total !== null && veto.total !== undefined) total = R.exact(veto.total);
    }
    return {
      total: N(total),
      grade: grade,
      grade_by_points: byPoints,
      vetoes: vetoes,
      base_total: results[0].base_total,
      bonus: results[0].bonus,
      indicators: results[0].indicators,
      modes: results,
    };
  }

  root.ZwpjWhatIf = { scoreEvaluation: scoreEvaluation, gradeFor: gradeFor, rules: R };
})(globalThis);
