/*
 * What-if calculator, part 1: decimal rounding and rule outcomes, as generator/score/rounding.py,
 * rules.py and raters.py compute them. whatif.js builds the scorecard on top of these.
 *
 * Exactness: Python rounds Decimal(repr(x)), settled to 9 places (half-even) and then rounded
 * half-up; String(x) in JavaScript has the same shortest round-trip digits as repr(x), and the
 * decimal steps below run on BigInt, so no binary noise enters. Float arithmetic is done in the
 * same order as the Python code, and sums follow Python's sum() (compensated since 3.12).
 *
 * Plain script, no dependencies, no requests: it defines globalThis.ZwpjWhatIfRules.
 */
(function (root) {
  "use strict";

  const FORMAT = 1;
  const NOISE = 9; // generator/score/rounding.py: decimals a value is settled to before rounding

  /** An observation that does not fit its rule (mirrors rules.Problem). */
  class Problem extends Error {
    constructor(message) {
      super(message);
      this.name = "Problem";
    }
  }

  // --- decimals on BigInt ------------------------------------------------------------------------

  function pow10(k) {
    return BigInt(10) ** BigInt(k);
  }

  /** x as digits × 10^exp, from its shortest round-trip string (the digits of Python's repr). */
  function decimalParts(x) {
    if (typeof x !== "number" || !isFinite(x)) throw new Problem("数值无效：" + String(x));
    const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(String(x));
    const frac = m[3] || "";
    const digits = BigInt(m[2] + frac);
    return { digits: m[1] ? -digits : digits, exp: Number(m[4] || 0) - frac.length };
  }

  /** n / d (d > 0) rounded to an integer: ties to even, or away from zero. */
  function divRound(n, d, tiesToEven) {
    let q = n / d;
    const r = n % d;
    const twice = BigInt(2) * (r < BigInt(0) ? -r : r);
    const odd = q % BigInt(2) !== BigInt(0);
    if (twice > d || (twice === d && (!tiesToEven || odd))) q += n < BigInt(0) ? BigInt(-1) : BigInt(1);
    return q;
  }

  function floorDiv(n, d) {
    const q = n / d;
    return n % d !== BigInt(0) && n < BigInt(0) ? q - BigInt(1) : q;
  }

  /** The value in units of 10^-NOISE, float noise beyond them removed (rounding._settle). */
  function settle(x) {
    const p = decimalParts(x);
    const shift = p.exp + NOISE;
    return shift >= 0 ? p.digits * pow10(shift) : divRound(p.digits, pow10(-shift), true);
  }

  function unitsToNumber(n, decimals) {
    return Number(n.toString() + "e-" + decimals);
  }

  /** rounding.round_half_up: round to `decimals` places, halves away from zero. */
  function roundHalfUp(x, decimals) {
    return unitsToNumber(divRound(settle(x), pow10(NOISE - decimals), false), decimals);
  }

  /** rounding.apportion: round values to `decimals` places so that they add up to `total`. */
  function apportion(values, total, decimals) {
    const unit = pow10(NOISE - decimals);
    const settled = values.map(settle);
    const floors = settled.map((s) => floorDiv(s, unit));
    const rems = settled.map((s, i) => s - floors[i] * unit);
    let missing = settle(roundHalfUp(total, decimals)) / unit;
    for (const f of floors) missing -= f;
    const order = [];
    rems.forEach((r, i) => { if (r > BigInt(0)) order.push(i); });
    order.sort((a, b) => rems[a] > rems[b] ? -1 : rems[a] < rems[b] ? 1 : a - b);
    for (let k = 0; k < order.length && BigInt(k) < missing; k++) floors[order[k]] += BigInt(1);
    return floors.map((f) => unitsToNumber(f, decimals));
  }

  // --- Python's sum() and min() ------------------------------------------------------------------

  function simpleSum(xs) {
    let total = 0;
    for (const x of xs) total += x;
    return total;
  }

  /** sum() of floats in CPython 3.12+: Neumaier's compensated summation. */
  function compensatedSum(xs) {
    if (xs.length === 0) return 0;
    let f = 0 + xs[0];
    let c = 0;
    for (let i = 1; i < xs.length; i++) {
      const x = xs[i];
      const t = f + x;
      c += Math.abs(f) >= Math.abs(x) ? (f - t) + x : (x - t) + f;
      f = t;
    }
    return c && isFinite(c) ? f + c : f;
  }

  /** Python's min(a, b): a unless b is smaller. */
  function pyMin(a, b) {
    return b < a ? b : a;
  }

  /** Python's max(a, b): a unless b is larger. */
  function pyMax(a, b) {
    return b > a ? b : a;
  }

  // --- rules (generator/score/rules.py) ----------------------------------------------------------

  function pairsOf(obs, what) {
    if (obs === null || typeof obs !== "object" || !Array.isArray(obs.map)) {
      throw new Problem("应为“" + what + ": 次数”的映射");
    }
    return obs.map;
  }

  function countsOf(obs, known, what) {
    return checkCounts(pairsOf(obs, what), known, what);
  }

  function checkCounts(pairs, known, what) {
    for (const p of pairs) {
      if (!known.has(p[0])) throw new Problem("未知的" + what + "“" + p[0] + "”");
      if (typeof p[1] !== "number" || !Number.isInteger(p[1]) || p[1] < 0) {
        throw new Problem("“" + p[0] + "”的次数应为非负整数");
      }
    }
    return pairs;
  }

  function byId(items) {
    const map = new Map();
    for (const item of items) map.set(item.id, item);
    return map;
  }

  function binary(rule, obs) {
    const pass = rule.pass_label || "达标";
    const fail = rule.fail_label || "不达标";
    if (obs === true || obs === pass) return { fraction: 1.0 };
    if (obs === false || obs === fail) return { fraction: 0.0 };
    throw new Problem("应为“" + pass + "”或“" + fail + "”");
  }

  function levels(rule, obs, weight) {
    for (const level of rule.levels) {
      if (obs === level.name) return { fraction: weight ? level.points / weight : 0.0 };
    }
    throw new Problem("等级“" + obs + "”不在可选等级之中");
  }

  function ratioValue(rule, obs, measured) {
    const scale = rule.unit === "percent" ? 100 : 1;
    if (measured !== undefined && measured !== null) {
      if (measured.value === null || measured.value === undefined) throw new Problem("数据集中没有可计算的记录");
      return measured.value * scale;
    }
    if (obs !== null && typeof obs === "object" && Array.isArray(obs.map)) {
      const parts = new Map(obs.map);
      const num = parts.get("numerator");
      const den = parts.get("denominator");
      if (obs.map.length !== 2 || typeof num !== "number" || typeof den !== "number" || den <= 0 || num < 0) {
        throw new Problem("分子、分母应为非负数且分母大于 0");
      }
      if (num > den) throw new Problem("分子大于分母");
      return num / den * scale;
    }
    if (typeof obs !== "number") throw new Problem("应为数值");
    const high = rule.unit === "ratio" ? 1 : rule.unit === "percent" ? 100 : Infinity;
    if (!(obs >= 0 && obs <= high)) throw new Problem("数值超出范围");
    return obs;
  }

  function ratio(rule, obs, measured) {
    const value = ratioValue(rule, obs, measured);
    const span = rule.target - rule.floor;
    return { fraction: pyMin(1.0, pyMax(0.0, (value - rule.floor) / span)) };
  }

  function deduction(rule, obs, weight) {
    const items = byId(rule.items);
    let total = 0.0;
    for (const [key, count] of countsOf(obs, items, "扣分项")) {
      if (count) total += pyMin(count * items.get(key).points, items.get(key).cap);
    }
    const remaining = pyMax(0.0, weight - total);
    return { fraction: weight ? remaining / weight : 0.0 };
  }

  function bonus(rule, obs, add) {
    const items = byId(rule.items);
    const total = add(countsOf(obs, items, "加分项").map(
      ([key, count]) => pyMin(count * items.get(key).points, items.get(key).cap)));
    const earned = pyMin(total, rule.cap);
    return { fraction: earned / rule.cap, bonus: earned };
  }

  function veto(obs) {
    if (obs === true) return { fraction: 0.0, vetoed: true };
    if (obs === false) return { fraction: 1.0 };
    throw new Problem("应为 true（存在否决情形）或 false");
  }

  function satisfaction(rule, obs, measured, add) {
    const points = new Map(rule.levels);
    const pairs = measured ? checkCounts(measured.counts, points, "满意度等级") : countsOf(obs, points, "满意度等级");
    let n = 0;
    for (const p of pairs) n += p[1];
    if (n === 0) throw new Problem("没有任何评价记录");
    const mean = add(pairs.map((p) => points.get(p[0]) * p[1])) / n;
    return { fraction: mean / (rule.scale === undefined ? 100 : rule.scale) };
  }

  /** rules.evaluate: what `obs` earns under `rule`, as {fraction, bonus, vetoed}. */
  function evaluateRule(rule, weight, obs, measured, add) {
    add = add || simpleSum;
    if (obs === undefined) obs = null;
    let out;
    switch (rule.kind) {
      case "binary": out = binary(rule, obs); break;
      case "levels": out = levels(rule, obs, weight); break;
      case "ratio": out = ratio(rule, obs, measured); break;
      case "deduction": out = deduction(rule, obs, weight); break;
      case "bonus": out = bonus(rule, obs, add); break;
      case "veto": out = veto(obs); break;
      case "satisfaction": out = satisfaction(rule, obs, measured, add); break;
      default: throw new Problem("未知的计分规则：" + rule.kind);
    }
    return { fraction: out.fraction, bonus: out.bonus || 0.0, vetoed: !!out.vetoed };
  }

  /** raters.combine: the raters' fractions combined by the system's rule. */
  function combine(fractions, policy, add) {
    const v = fractions.slice().sort((a, b) => a - b);
    const n = v.length;
    if (policy.combine === "median") return n % 2 === 1 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    if (policy.combine === "trimmed_mean") {
      const cut = Math.floor(n * policy.trim);
      let kept = v.slice(cut, n - cut);
      if (kept.length === 0) kept = v;
      return add(kept) / kept.length;
    }
    return add(v) / n;
  }

  root.ZwpjWhatIfRules = {
    FORMAT, NOISE, Problem, roundHalfUp, apportion, simpleSum, compensatedSum, pyMin, evaluateRule, combine,
    ratioValue,
  };
})(globalThis);
