/*
 * What-if calculator, part 2: the scorecard.
 *
 * scoreEvaluation(inputs) recomputes an evaluation's scorecard from the JSON document written by
 * generator/render/calculator/export.py, figure for figure as generator/score/engine.py does:
 * effective weights shared among applicable siblings in proportion to their weights (largest
 * remainder), leaf points rounded half-up, inner points the rounded sum of their children's,
 * dimensions and total rounded to their own decimals, the bonus capped, vetoes forcing the lowest
 * band, modes combined by weight. A test runs both scorers and compares every figure exactly, so
 * the order of every float operation below follows the Python code.
 *
 * Needs whatif-rules.js; defines globalThis.ZwpjWhatIf.
 */
(function (root) {
  "use strict";

  const R = root.ZwpjWhatIfRules;

  /** The entries of one mode as a Map (ids such as "constructor" must not hit Object.prototype). */
  function entryMap(inputs, modeId) {
    const found = (inputs.modes || []).find((m) => (m.id === undefined ? null : m.id) === modeId);
    return new Map(Object.entries(found ? found.entries : {}));
  }

  /** engine._Scorer: scores one mode's entries against the system. */
  function scoreMode(system, entries, measured, add) {
    const rounding = system.rounding;
    const out = [];
    const kids = (ind) => ind.children || [];

    function applicable(ind) {
      if (kids(ind).length) return kids(ind).some((c) => c.weight > 0 && applicable(c));
      const entry = entries.get(ind.id);
      return !(entry && entry.not_applicable);
    }

    function shares(nodes, effParent, digits) {
      const live = add(nodes.filter((n) => applicable(n) && n.weight > 0).map((n) => n.weight));
      if (live === 0) return nodes.map(() => 0.0);
      const scale = effParent / live;
      return R.apportion(nodes.map((n) => (applicable(n) ? n.weight * scale : 0.0)), effParent, digits);
    }

    function outcome(ind, entry) {
      const rule = ind.rule;
      // A figure typed into the calculator (manual) replaces the dataset's; exports never set it.
      const figure = rule.measure && !entry.manual ? measured.get(rule.measure) : undefined;
      if (!entry.ratings || entry.ratings.length === 0) {
        return R.evaluateRule(rule, ind.weight, entry.observation, figure, add);
      }
      const each = entry.ratings.map((obs) => R.evaluateRule(rule, ind.weight, obs, figure, add));
      const fraction = R.combine(each.map((o) => o.fraction), system.raters, add);
      return {
        fraction: fraction,
        bonus: R.combine(each.map((o) => o.bonus), system.raters, add),
        vetoed: fraction < 0.5 && each.some((o) => o.vetoed),
      };
    }

    function leaf(ind, eff, common) {
      const digits = common.depth === 1 ? rounding.dimension : rounding.indicator;
      const entry = entries.get(ind.id);
      if (!entry) {
        out.push(Object.assign(common, { status: "missing", fraction: 0.0, points: 0.0 }));
        return 0.0;
      }
      if (entry.not_applicable) {
        out.push(Object.assign(common, { status: "not_applicable", fraction: null, points: null }));
        return 0.0;
      }
      const o = outcome(ind, entry);
      const points = ind.weight > 0 ? R.roundHalfUp(eff * o.fraction, digits) : 0.0;
      out.push(Object.assign(common, {
        status: "scored", fraction: o.fraction, points: points, vetoed: o.vetoed,
        bonus: R.roundHalfUp(o.bonus, digits),
      }));
      return points;
    }

    function node(ind, eff, depth, parent, dimension) {
      const common = {
        id: ind.id, name: ind.name, depth: depth, parent: parent, dimension: dimension,
        is_leaf: kids(ind).length === 0, rule_kind: ind.rule ? ind.rule.kind : null, weight: ind.weight,
        effective_weight: eff, bonus: 0.0, vetoed: false,
      };
      if (common.is_leaf) return leaf(ind, eff, common);
      const position = out.length;
      out.push(null); // placeholder keeps depth-first order
      const digits = depth === 1 ? rounding.dimension : rounding.indicator;
      const sh = shares(kids(ind), eff, rounding.indicator);
      const total = add(kids(ind).map((c, i) => node(c, sh[i], depth + 1, ind.id, dimension)));
      const live = applicable(ind);
      const points = live ? R.roundHalfUp(total, digits) : null;
      const fraction = live && eff ? points / eff : live ? 0.0 : null;
      common.rule_kind = null;
      out[position] = Object.assign(common, {
        status: live ? "scored" : "not_applicable", fraction: fraction, points: points,
      });
      return points || 0.0;
    }

    const dims = system.indicators;
    const sh = shares(dims, system.scale, Math.min(rounding.dimension, rounding.indicator));
    let base = 0.0;
    dims.forEach((d, i) => { base += node(d, sh[i], 1, null, d.id); });
    const bonusRaw = R.roundHalfUp(add(out.map((i) => i.bonus)), rounding.indicator);
    return {
      indicators: out,
      base_total: R.roundHalfUp(base, rounding.dimension),
      bonus: R.pyMin(bonusRaw, system.bonus_cap),
      vetoes: out.filter((i) => i.vetoed).map((i) => i.id),
    };
  }

  /** engine.grade_for: the band a total falls in (min ≤ total < max). */
  function gradeFor(system, total) {
    const bands = system.grades;
    for (const band of bands) {
      if (total >= band.min && (band.max === null || band.max === undefined || total < band.max)) return band.name;
    }
    const last = bands[bands.length - 1];
    return total < last.min ? last.name : bands[0].name;
  }

  /** engine.score_evaluation on the exported inputs; throws R.Problem for an unfit observation. */
  function scoreEvaluation(inputs) {
    if (!inputs || inputs.format !== R.FORMAT) throw new R.Problem("计算器数据格式版本不符");
    const system = inputs.system;
    const add = inputs.float_sum === "compensated" ? R.compensatedSum : R.simpleSum;
    const measured = new Map(Object.entries(inputs.measured || {}));
    const modes = system.modes.length ? system.modes : [null];
    const results = modes.map((m) => {
      const r = scoreMode(system, entryMap(inputs, m ? m.id : null), measured, add);
      r.id = m ? m.id : null;
      r.name = m ? m.name : "";
      r.weight = m ? m.weight : 1;
      r.total = R.roundHalfUp(r.base_total + r.bonus, system.rounding.total);
      return r;
    });
    const total = system.modes.length
      ? R.roundHalfUp(add(results.map((r) => r.weight * r.total)), system.rounding.total)
      : results[0].total;
    const vetoes = [...new Set(results.flatMap((r) => r.vetoes))];
    const byPoints = gradeFor(system, total);
    return {
      total: total,
      grade: vetoes.length ? system.grades[system.grades.length - 1].name : byPoints,
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
