/*
 * What-if calculator, part 3: "where one more point matters".
 *
 * stepEntry moves one leaf's observation one step up: the next better level, a fail to a pass, a
 * veto condition removed, a ratio 5 percentage points (or one day, hour or unit) nearer its
 * target, one defect fewer, one more bonus item, 5% of the lowest satisfaction ratings one level
 * higher. With several raters, each rater moves one step. rankSteps scores every such step and
 * lists first those that change the grade, then those that lift a veto (while a veto stands no
 * number of points changes the grade), then the rest by how much the total rises.
 *
 * Needs whatif-rules.js and whatif.js; defines globalThis.ZwpjWhatIfSteps.
 */
(function (root) {
  "use strict";

  const W = root.ZwpjWhatIf;
  const R = W.rules;
  /** What an observation earns under the rule, as doubles (for comparing candidate steps). */
  const earns = (rule, weight, obs) => {
    const o = R.evaluateRule(rule, weight, obs);
    return { fraction: R.toNumber(o.fraction), bonus: R.toNumber(o.bonus) };
  };
  const SUFFIX = { ratio: "%", percent: "%", days: " 天", hours: " 小时", count: "" };

  /** A ratio rule's value as a reader writes it (percent for both ratio and percent units). */
  function shownValue(rule, value) {
    const n = rule.unit === "ratio" ? R.roundHalfUp(value * 100, 2) : R.roundHalfUp(value, 2);
    return String(n) + SUFFIX[rule.unit];
  }

  const isMap = (obs) => obs !== null && typeof obs === "object" && Array.isArray(obs.map);

  function levelsStep(rule, obs) {
    const current = rule.levels.find((l) => l.name === obs);
    if (!current) return null;
    const better = rule.levels.filter((l) => l.points > current.points);
    if (!better.length) return null;
    const next = better.reduce((a, b) => (b.points < a.points ? b : a));
    return { obs: next.name, text: "升至“" + next.name + "”" };
  }

  function ratioStep(rule, obs, figure) {
    const value = R.ratioValue(rule, obs, figure);
    const up = rule.target > rule.floor;
    if (up ? value >= rule.target : value <= rule.target) return null;
    const step = rule.unit === "ratio" ? 0.05 : rule.unit === "percent" ? 5 : 1;
    const moved = R.roundHalfUp(up ? value + step : value - step, 6);
    const next = up ? Math.min(moved, rule.target) : Math.max(moved, rule.target);
    const what = rule.unit === "ratio" || rule.unit === "percent" ? "5 个百分点" : "1" + SUFFIX[rule.unit];
    const span = "（" + shownValue(rule, value) + " → " + shownValue(rule, next) + "）";
    const verb = up ? "提高" : "降低";
    return { obs: next, manual: true, text: next === rule.target ? verb + "至满分值" + span : verb + " " + what + span };
  }

  function withCount(pairs, key, delta) {
    const found = pairs.some((p) => p[0] === key);
    const out = pairs.map((p) => (p[0] === key ? [p[0], p[1] + delta] : p));
    return { map: found ? out : out.concat([[key, delta]]) };
  }

  /** The candidate with the highest value of `score`; the first one on ties. */
  function best(candidates, score) {
    let top = null;
    for (const c of candidates) if (top === null || score(c) > score(top)) top = c;
    return top;
  }

  function deductionStep(rule, weight, obs) {
    if (!isMap(obs)) return null;
    const options = obs.map.filter((p) => p[1] > 0).map((p) => ({
      obs: withCount(obs.map, p[0], -1),
      text: "少 1 处“" + rule.items.find((i) => i.id === p[0]).name + "”",
    }));
    return best(options, (o) => earns(rule, weight, o.obs).fraction);
  }

  function bonusStep(rule, weight, obs) {
    if (!isMap(obs)) return null;
    const now = earns(rule, weight, obs).bonus;
    const options = rule.items.map((item) => ({
      obs: withCount(obs.map, item.id, 1), text: "多 1 项“" + item.name + "”",
    }));
    const top = best(options, (o) => earns(rule, weight, o.obs).bonus);
    return top && earns(rule, weight, top.obs).bonus > now ? top : null;
  }

  function satisfactionStep(rule, obs, figure) {
    if (!figure && !isMap(obs)) return null;
    const pairs = figure ? figure.counts : obs.map;
    const points = new Map(rule.levels);
    const order = rule.levels.slice().sort((a, b) => a[1] - b[1]).map((l) => l[0]);
    const low = order.find((name, i) => i < order.length - 1 && pairs.some((p) => p[0] === name && p[1] > 0));
    if (low === undefined) return null;
    const high = order[order.indexOf(low) + 1];
    if (points.get(high) <= points.get(low)) return null;
    const total = pairs.reduce((n, p) => n + p[1], 0);
    const count = pairs.find((p) => p[0] === low)[1];
    const moved = Math.min(count, Math.max(1, Math.ceil(total * 0.05)));
    const shifted = withCount(withCount(pairs, low, -moved).map, high, moved);
    return { obs: shifted, manual: !!figure, text: moved + " 条“" + low + "”评价升为“" + high + "”" };
  }

  /** One observation one step up under its rule, or null when it is already at the top. */
  function stepObservation(rule, weight, obs, figure) {
    switch (rule.kind) {
      case "binary":
        if (earns(rule, weight, obs).fraction >= 1) return null;
        return { obs: rule.pass_label, text: "改为“" + rule.pass_label + "”" };
      case "levels": return levelsStep(rule, obs);
      case "veto": return obs === true ? { obs: false, text: "消除否决情形" } : null;
      case "ratio": return ratioStep(rule, obs, figure);
      case "deduction": return deductionStep(rule, weight, obs);
      case "bonus": return bonusStep(rule, weight, obs);
      default: return satisfactionStep(rule, obs, figure);
    }
  }

  /** The entry one step up ({entry, text}), or null when no step raises it. */
  function stepEntry(ind, entry, figure) {
    if (entry.ratings && entry.ratings.length) {
      const steps = entry.ratings.map((obs) => stepObservation(ind.rule, ind.weight, obs, undefined));
      const first = steps.find((s) => s);
      if (!first) return null;
      const ratings = entry.ratings.map((obs, i) => (steps[i] ? steps[i].obs : obs));
      const text = "各评分人上调一档（" + first.text + "）";
      return { entry: Object.assign({}, entry, { ratings: ratings }), text: text };
    }
    const used = entry.manual ? undefined : figure;
    const step = stepObservation(ind.rule, ind.weight, entry.observation, used);
    if (!step) return null;
    const next = Object.assign({}, entry, { observation: step.obs });
    if (step.manual || entry.manual) next.manual = true;
    return { entry: next, text: step.text };
  }

  /** The inputs with one entry of one mode replaced. */
  function withEntry(inputs, modeIndex, id, entry) {
    const modes = inputs.modes.map((m, i) => {
      if (i !== modeIndex) return m;
      const entries = Object.assign({}, m.entries);
      entries[id] = entry;
      return Object.assign({}, m, { entries: entries });
    });
    return Object.assign({}, inputs, { modes: modes });
  }

  function leavesOf(indicators, out) {
    for (const ind of indicators) {
      if (ind.children && ind.children.length) leavesOf(ind.children, out);
      else out.push(ind);
    }
    return out;
  }

  /** Every leaf's step scored against `baseline` (the scorecard of `inputs`), best first. */
  function rankSteps(inputs, baseline) {
    const digits = inputs.system.rounding.total;
    const leaves = leavesOf(inputs.system.indicators, []);
    const found = [];
    inputs.modes.forEach((mode, modeIndex) => {
      for (const ind of leaves) {
        const entry = Object.prototype.hasOwnProperty.call(mode.entries, ind.id) ? mode.entries[ind.id] : null;
        if (!entry || entry.not_applicable || !ind.rule) continue;
        const figure = ind.rule.measure && inputs.measured ? inputs.measured[ind.rule.measure] : undefined;
        let step;
        let card;
        try {
          step = stepEntry(ind, entry, figure);
          if (!step) continue;
          card = W.scoreEvaluation(withEntry(inputs, modeIndex, ind.id, step.entry));
        } catch (e) {
          if (e instanceof R.Problem) continue;
          throw e;
        }
        const rise = R.roundHalfUp(card.total - baseline.total, digits);
        const changesGrade = card.grade !== baseline.grade;
        const liftsVeto = card.vetoes.length < baseline.vetoes.length;
        if (rise > 0 || changesGrade || liftsVeto) {
          found.push({ modeIndex, mode: mode.id, id: ind.id, name: ind.name, text: step.text, entry: step.entry,
                       rise, total: card.total, grade: card.grade, changesGrade, liftsVeto });
        }
      }
    });
    const rank = (s) => (s.changesGrade ? 2 : 0) + (s.liftsVeto ? 1 : 0);
    return found.sort((a, b) => rank(b) - rank(a) || b.rise - a.rise);
  }

  root.ZwpjWhatIfSteps = { stepEntry, rankSteps, withEntry, shownValue };
})(globalThis);
