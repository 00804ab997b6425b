/*
 * What-if calculator, part 4: one form control per leaf, fitting its rule.
 *
 * A select for levels, pass/fail and veto; a number for ratios (percent for 0–1 ratios, so that
 * a reader types 93.5 rather than 0.935); a number per item for deductions, bonuses and
 * satisfaction counts. Several raters get one control each. Every control has a visible label;
 * an unfit value marks the control invalid and explains why, and the last valid value is kept.
 *
 * Needs whatif-rules.js; defines globalThis.ZwpjWhatIfControls.
 */
(function (root) {
  "use strict";

  const R = root.ZwpjWhatIfRules;
  const UNIT = { ratio: "%", percent: "%", days: "天", hours: "小时", count: "个" };

  /** An element with attributes (text → textContent, on* → listeners) and children. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  const num = (x) => String(R.roundHalfUp(x, 6));

  function select(id, label, options, current, onPick) {
    const box = el("select", { id: id, onchange: () => onPick(box.value) },
      ...options.map(([value, text]) => el("option", { value: value, text: text })));
    box.value = current;
    return el("div", { class: "zwpj-whatif__field" }, el("label", { for: id, text: label }), box);
  }

  /** Shows or clears a control's problem; the message is tied to it by aria-describedby. */
  function flag(input, message) {
    const note = document.getElementById(input.id + "-problem");
    input.setAttribute("aria-invalid", message ? "true" : "false");
    note.textContent = message || "";
  }

  function numberField(id, label, value, unit, attrs, onValue) {
    const input = el("input", Object.assign({
      id: id, type: "number", value: value, inputmode: "decimal", step: "any",
      "aria-describedby": id + "-problem", oninput: () => flag(input, onValue(input.value.trim())),
    }, attrs));
    return el("div", { class: "zwpj-whatif__field" },
      el("label", { for: id, text: label }),
      el("span", { class: "zwpj-whatif__number" }, input, unit ? el("span", { text: unit, "aria-hidden": "true" }) : null),
      el("span", { id: id + "-problem", class: "zwpj-whatif__problem" }));
  }

  function ratioControl(rule, obs, figure, id, label, set) {
    let value = null;
    try { value = R.ratioValue(rule, obs, figure); } catch (e) { if (!(e instanceof R.Problem)) throw e; }
    const percent = rule.unit === "ratio";
    const high = rule.unit === "ratio" || rule.unit === "percent" ? 100 : null;
    const digits = figure ? 2 : 6; // a dataset's share is shown as a reader would quote it
    const shown = value === null ? "" : String(R.roundHalfUp(percent ? value * 100 : value, digits));
    const unitName = UNIT[rule.unit];
    const field = numberField(id, label + "（" + unitName + "）", shown, unitName, { min: 0, max: high }, (text) => {
      const typed = Number(text);
      if (text === "" || !isFinite(typed)) return "请填写一个数值";
      if (typed < 0 || (high !== null && typed > high)) return "应在 0 到 " + high + " 之间";
      set(percent ? R.roundHalfUp(typed / 100, 9) : typed, true);
      return "";
    });
    if (figure && figure.denominator) {
      field.append(note("原值由数据集计算（" + figure.numerator + "/" + figure.denominator + "），修改后按填写的数值计算"));
    }
    return field;
  }

  function note(text) {
    return el("span", { class: "zwpj-whatif__note", text: text });
  }

  function countsControl(rule, obs, figure, id, label, set) {
    const satisfaction = rule.kind === "satisfaction";
    const items = satisfaction
      ? rule.levels.map(([name, points]) => ({ id: name, label: name + "（" + num(points) + " 分）人次" }))
      : rule.items.map((i) => ({ id: i.id, label: i.name + describe(rule, i) }));
    const pairs = new Map(satisfaction && figure ? figure.counts : obs && obs.map ? obs.map : []);
    const counts = new Map(items.map((i) => [i.id, pairs.get(i.id) || 0]));
    const fields = items.map((item, k) => numberField(id + "-" + k, item.label, String(counts.get(item.id)), "",
      { min: 0, step: 1, inputmode: "numeric" }, (text) => {
        const typed = Number(text);
        if (text === "" || !Number.isInteger(typed) || typed < 0) return "请填写不小于 0 的整数";
        counts.set(item.id, typed);
        if (satisfaction && [...counts.values()].every((c) => c === 0)) return "至少要有一条评价";
        set({ map: items.map((i) => [i.id, counts.get(i.id)]) }, satisfaction && !!figure);
        return "";
      }));
    const source = satisfaction && figure ? note("原人次由数据集统计，修改后按填写的人次计算") : null;
    return el("fieldset", { class: "zwpj-whatif__counts" }, el("legend", { text: label }), ...fields, source);
  }

  function describe(rule, item) {
    const [each, verb] = rule.kind === "deduction" ? ["每处", "扣"] : ["每项", "加"];
    return "（" + each + verb + " " + num(item.points) + " 分，最多" + verb + " " + num(item.cap) + " 分）";
  }

  /** The control for one observation (one rater's, or the leaf's only one). */
  function observationControl(ind, obs, figure, id, label, set) {
    const rule = ind.rule;
    switch (rule.kind) {
      case "binary": {
        const passed = obs === true || obs === rule.pass_label;
        return select(id, label, [["pass", rule.pass_label], ["fail", rule.fail_label]], passed ? "pass" : "fail",
          (v) => set(v === "pass" ? rule.pass_label : rule.fail_label, false));
      }
      case "levels": {
        const options = rule.levels.map((l, k) => [String(k), l.name + "（" + num(l.points) + " 分）"]);
        const current = rule.levels.findIndex((l) => l.name === obs);
        return select(id, label, options, String(Math.max(current, 0)), (v) => set(rule.levels[Number(v)].name, false));
      }
      case "veto":
        return select(id, label, [["no", "不存在否决情形"], ["yes", "存在：" + rule.condition]], obs === true ? "yes" : "no",
          (v) => set(v === "yes", false));
      case "ratio": return ratioControl(rule, obs, figure, id, label, set);
      default: return countsControl(rule, obs, figure, id, label, set);
    }
  }

  /**
   * The controls of one leaf's entry. `update(entry)` receives the changed entry; raters are
   * numbered, not named. `label` names the indicator.
   */
  function entryControls(ind, entry, figure, id, label, update) {
    const used = entry.manual ? undefined : figure;
    if (entry.ratings && entry.ratings.length) {
      const parts = entry.ratings.map((obs, k) => observationControl(ind, obs, undefined, id + "-r" + k,
        "评分人 " + (k + 1), (next) => {
          const ratings = entry.ratings.slice();
          ratings[k] = next;
          entry = Object.assign({}, entry, { ratings: ratings });
          update(entry);
        }));
      return el("fieldset", { class: "zwpj-whatif__raters" }, el("legend", { text: label }), ...parts);
    }
    return observationControl(ind, entry.observation, used, id, label, (next, manual) => {
      entry = Object.assign({}, entry, { observation: next });
      if (manual) entry.manual = true;
      update(entry);
    });
  }

  root.ZwpjWhatIfControls = { el, entryControls };
})(globalThis);
