/*
 * What-if calculator, part 1: exact numbers, rounding and rule outcomes, as generator/model/numbers.py,
 * generator/score/rounding.py, rules.py and raters.py compute them. whatif.js builds the scorecard.
 *
 * Exactness: every figure is a fraction of two BigInts, as the Python scorer's fractions.Fraction.
 * A number from the inputs stands for the decimal it is written as: String(x) in JavaScript has the
 * same shortest round-trip digits as repr(x) in Python, so 0.7 is 7/10 on both sides; a weight such
 * as 1/86 comes as the text "1/86". Rounding is half-up on the exact value, and a fraction becomes
 * a double only for display, correctly rounded as Python's float(Fraction) is.
 *
 * Plain script, no dependencies, no requests: it defines globalThis.ZwpjWhatIfRules.
 */
(function (root) {
  "use strict";

  const FORMAT = 2;
  const NOISE = 9; // generator/score/rounding.py: decimals a float is settled to before display rounding
  const ZERO = BigInt(0);
  const ONE = BigInt(1);
  const TWO = BigInt(2);
  const TEN = BigInt(10);

  /** An observation that does not fit its rule (mirrors rules.Problem). */
  class Problem extends Error {
    constructor(message) {
      super(message);
      this.name = "Problem";
    }
  }

  // --- fractions on BigInt -----------------------------------------------------------------------

  function pow10(k) {
    return TEN ** BigInt(k);
  }

  function gcd(a, b) {
    a = a < ZERO ? -a : a;
    b = b < ZERO ? -b : b;
    while (b !== ZERO) [a, b] = [b, a % b];
    return a;
  }

  /** The fraction n/d in lowest terms, d > 0. */
  function q(n, d) {
    if (d === undefined) d = ONE;
    if (d === ZERO) throw new Problem("除数为 0");
    if (d < ZERO) { n = -n; d = -d; }
    const g = gcd(n, d);
    return g > ONE ? { n: n / g, d: d / g } : { n: n, d: d };
  }

  const Q0 = q(ZERO);
  const Q1 = q(ONE);
  const add = (a, b) => q(a.n * b.d + b.n * a.d, a.d * b.d);
  const sub = (a, b) => q(a.n * b.d - b.n * a.d, a.d * b.d);
  const mul = (a, b) => q(a.n * b.n, a.d * b.d);
  const div = (a, b) => q(a.n * b.d, a.d * b.n);
  const cmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x < ZERO ? -1 : x > ZERO ? 1 : 0; };
  const qmin = (a, b) => (cmp(b, a) < 0 ? b : a);
  const qmax = (a, b) => (cmp(b, a) > 0 ? b : a);
  const isZero = (a) => a.n === ZERO;
  const sum = (xs) => xs.reduce(add, Q0);

  /** x as digits × 10^exp, from its shortest round-trip string (the digits of Python's repr). */
  function decimalParts(x) {
    if (typeof x !== "number" || !isFinite(x)) throw new Problem("数值无效：" + String(x));
    const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(String(x));
    const frac = m[3] || "";
    const digits = BigInt(m[2] + frac);
    return { digits: m[1] ? -digits : digits, exp: Number(m[4] || 0) - frac.length };
  }

  /** model.numbers.exact: a number as the fraction its decimal stands for; "n/d" text; a fraction. */
  function exact(x) {
    if (x !== null && typeof x === "object" && typeof x.n === "bigint") return x;
    if (typeof x === "string") {
      const m = /^(-?\d+)(?:\/(\d+))?$/.exec(x);
      if (!m) throw new Problem("数值无效：" + x);
      return q(BigInt(m[1]), m[2] ? BigInt(m[2]) : ONE);
    }
    const p = decimalParts(x);
    return p.exp >= 0 ? q(p.digits * pow10(p.exp)) : q(p.digits, pow10(-p.exp));
  }

  function bitLength(n) {
    return n === ZERO ? 0 : n.toString(2).length;
  }

  /** The double nearest to the fraction (ties to even), as Python's float(Fraction). */
  function toNumber(a) {
    if (a.n === ZERO) return 0;
    const neg = a.n < ZERO;
    const n = neg ? -a.n : a.n;
    let e = bitLength(n) - bitLength(a.d) - 53;
    let m;
    let r;
    let den;
    for (;;) {
      const num = e >= 0 ? n : n << BigInt(-e);
      den = e >= 0 ? a.d << BigInt(e) : a.d;
      m = num / den;
      r = num % den;
      const bits = bitLength(m);
      if (bits === 53) break;
      e += bits > 53 ? 1 : -1;
    }
    const twice = TWO * r;
    if (twice > den || (twice === den && (m & ONE) === ONE)) m += ONE;
    const value = Number(m) * Math.pow(2, e);
    return neg ? -value : value;
  }

  /** rounding.round_exact: a fraction rounded to `decimals` places, halves away from zero. */
  function roundExact(a, decimals) {
    const unit = pow10(decimals);
    const neg = a.n < ZERO;
    const scaled = (neg ? -a.n : a.n) * unit;
    const units = (TWO * scaled + a.d) / (TWO * a.d); // floor(scaled / d + 1/2)
    return q(neg ? -units : units, unit);
  }

  function floorOf(a) {
    const f = a.n / a.d;
    return a.n < ZERO && a.n % a.d !== ZERO ? f - ONE : f;
  }

  /** rounding.apportion_exact: fractions rounded to `decimals` places adding up to `total` rounded. */
  function apportionExact(values, total, decimals) {
    const unit = q(ONE, pow10(decimals));
    const scaled = values.map((v) => div(v, unit));
    const floors = scaled.map(floorOf);
    const rems = scaled.map((s, i) => sub(s, q(floors[i])));
    let missing = floorOf(div(roundExact(total, decimals), unit));
    for (const f of floors) missing -= f;
    const order = [];
    rems.forEach((r, i) => { if (r.n > ZERO) order.push(i); });
    order.sort((a, b) => cmp(rems[b], rems[a]) || a - b);
    for (let k = 0; k < order.length && BigInt(k) < missing; k++) floors[order[k]] += ONE;
    return floors.map((f) => mul(q(f), unit));
  }

  // --- display rounding of doubles (rounding.round_half_up) --------------------------------------

  function divRound(n, d, tiesToEven) {
    let quo = n / d;
    const r = n % d;
    const twice = TWO * (r < ZERO ? -r : r);
    const odd = quo % TWO !== ZERO;
    if (twice > d || (twice === d && (!tiesToEven || odd))) quo += n < ZERO ? -ONE : ONE;
    return quo;
  }

  function settle(x) {
    const p = decimalParts(x);
    const shift = p.exp + NOISE;
    return shift >= 0 ? p.digits * pow10(shift) : divRound(p.digits, pow10(-shift), true);
  }

  /** rounding.round_half_up: a double (or a fraction, exactly) rounded to `decimals`, for display. */
  function roundHalfUp(x, decimals) {
    if (x !== null && typeof x === "object") return toNumber(roundExact(x, decimals));
    const units = divRound(settle(x), pow10(NOISE - decimals), false);
    return Number(units.toString() + "e-" + decimals);
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

  const count = (c) => q(BigInt(c));

  function binary(rule, obs) {
    const pass = rule.pass_label || "达标";
    const fail = rule.fail_label || "不达标";
    if (obs === true || obs === pass) return { fraction: Q1 };
    if (obs === false || obs === fail) return { fraction: Q0 };
    throw new Problem("应为“" + pass + "”或“" + fail + "”");
  }

  function levels(rule, obs, weight) {
    for (const level of rule.levels) {
      if (obs === level.name) return { fraction: isZero(weight) ? Q0 : div(exact(level.points), weight) };
    }
    throw new Problem("等级“" + obs + "”不在可选等级之中");
  }

  /** rules.measured_share: a measured share as its rows counted over its rows. */
  function measuredShare(measured) {
    if (measured.value === null || measured.value === undefined) return null;
    return measured.denominator ? q(BigInt(measured.numerator), BigInt(measured.denominator)) : exact(measured.value);
  }

  /** The value a ratio rule compares, exactly, in the rule's unit. */
  function ratioExact(rule, obs, measured) {
    const scale = rule.unit === "percent" ? q(BigInt(100)) : Q1;
    if (measured !== undefined && measured !== null) {
      const share = measuredShare(measured);
      if (share === null) throw new Problem("数据集中没有可计算的记录");
      return mul(share, scale);
    }
    if (obs !== null && typeof obs === "object" && Array.isArray(obs.map)) {
      const parts = new Map(obs.map);
      const num = parts.get("numerator");
      const den = parts.get("denominator");
      if (obs.map.length !== 2 || typeof num !== "number" || typeof den !== "number" || den <= 0 || num < 0) {
        throw new Problem("分子、分母应为非负数且分母大于 0");
      }
      if (num > den) throw new Problem("分子大于分母");
      return mul(div(exact(num), exact(den)), scale);
    }
    if (typeof obs !== "number") throw new Problem("应为数值");
    const high = rule.unit === "ratio" ? 1 : rule.unit === "percent" ? 100 : Infinity;
    if (!(obs >= 0 && obs <= high)) throw new Problem("数值超出范围");
    return exact(obs);
  }

  /** The ratio value as a double, for the form. */
  function ratioValue(rule, obs, measured) {
    return toNumber(ratioExact(rule, obs, measured));
  }

  function ratio(rule, obs, measured) {
    const value = ratioExact(rule, obs, measured);
    const floor = exact(rule.floor);
    const span = sub(exact(rule.target), floor);
    return { fraction: qmin(Q1, qmax(Q0, div(sub(value, floor), span))) };
  }

  function deduction(rule, obs, weight) {
    const items = byId(rule.items);
    let total = Q0;
    for (const [key, n] of countsOf(obs, items, "扣分项")) {
      if (n) total = add(total, qmin(mul(count(n), exact(items.get(key).points)), exact(items.get(key).cap)));
    }
    const remaining = qmax(Q0, sub(weight, total));
    return { fraction: isZero(weight) ? Q0 : div(remaining, weight) };
  }

  function bonus(rule, obs) {
    const items = byId(rule.items);
    const total = sum(countsOf(obs, items, "加分项").map(
      ([key, n]) => qmin(mul(count(n), exact(items.get(key).points)), exact(items.get(key).cap))));
    const earned = qmin(total, exact(rule.cap));
    return { fraction: div(earned, exact(rule.cap)), bonus: earned };
  }

  function veto(obs) {
    if (obs === true) return { fraction: Q0, vetoed: true };
    if (obs === false) return { fraction: Q1 };
    throw new Problem("应为 true（存在否决情形）或 false");
  }

  function satisfaction(rule, obs, measured) {
    const points = new Map(rule.levels);
    const pairs = measured ? checkCounts(measured.counts, points, "满意度等级") : countsOf(obs, points, "满意度等级");
    let n = 0;
    for (const p of pairs) n += p[1];
    if (n === 0) throw new Problem("没有任何评价记录");
    const mean = div(sum(pairs.map((p) => mul(exact(points.get(p[0])), count(p[1])))), count(n));
    return { fraction: div(mean, exact(rule.scale === undefined ? 100 : rule.scale)) };
  }

  /** rules.evaluate: what `obs` earns under `rule` (weight: a fraction), as {fraction, bonus, vetoed}. */
  function evaluateRule(rule, weight, obs, measured) {
    weight = exact(weight);
    if (obs === undefined) obs = null;
    let out;
    switch (rule.kind) {
      case "binary": out = binary(rule, obs); break;
      case "levels": out = levels(rule, obs, weight); break;
      case "ratio": out = ratio(rule, obs, measured); break;
      case "deduction": out = deduction(rule, obs, weight); break;
      case "bonus": out = bonus(rule, obs); break;
      case "veto": out = veto(obs); break;
      case "satisfaction": out = satisfaction(rule, obs, measured); break;
      default: throw new Problem("未知的计分规则：" + rule.kind);
    }
    return { fraction: out.fraction, bonus: out.bonus || Q0, vetoed: !!out.vetoed };
  }

  /** raters.combine: the raters' fractions combined by the system's rule, exactly. */
  function combine(fractions, policy) {
    const v = fractions.slice().sort(cmp);
    const n = v.length;
    if (policy.combine === "median") {
      return n % 2 === 1 ? v[(n - 1) / 2] : div(add(v[n / 2 - 1], v[n / 2]), q(TWO));
    }
    if (policy.combine === "trimmed_mean") {
      const cut = Number(floorOf(mul(count(n), exact(policy.trim))));
      let kept = v.slice(cut, n - cut);
      if (kept.length === 0) kept = v;
      return div(sum(kept), count(kept.length));
    }
    return div(sum(v), count(n));
  }

  root.ZwpjWhatIfRules = {
    FORMAT, NOISE, Problem, q, Q0, Q1, add, sub, mul, div, cmp, qmin, qmax, sum, exact, toNumber,
    roundExact, apportionExact, roundHalfUp, evaluateRule, combine, ratioValue, ratioExact,
  };
})(globalThis);
