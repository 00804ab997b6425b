/*
 * What-if calculator, part 5: the panel on an evaluation page.
 *
 * Every element with class "zwpj-whatif" becomes a calculator. Its inputs come from an inline
 * <script type="application/json"> inside it (works from a folder or file share) or else from
 * the URL in data-inputs (the JSON written beside the page). Nothing else is requested.
 * A change to any control rescores at once: the totals and grade (announced through a polite
 * live region, the grade always written out), the dimension table, each leaf's points and the
 * list of the steps that would raise the total most, each with a button that applies it.
 *
 * Needs whatif-rules.js, whatif.js, whatif-steps.js and whatif-controls.js; defines
 * globalThis.ZwpjWhatIfUI.
 */
(function (root) {
  "use strict";

  const W = root.ZwpjWhatIf;
  const R = W.rules;
  const S = root.ZwpjWhatIfSteps;
  const C = root.ZwpjWhatIfControls;
  const el = C.el;
  const SHOWN_STEPS = 8;
  let counter = 0;

  const fmt = (x, digits) => R.roundHalfUp(x, digits).toFixed(digits);

  function signed(x, digits) {
    const text = fmt(x, digits);
    return Number(text) === 0 ? "±" + fmt(0, digits) : (x > 0 ? "+" : "") + text;
  }

  const clone = (value) => JSON.parse(JSON.stringify(value));
  const byId = (list) => new Map(list.map((i) => [i.id, i]));

  class Calculator {
    constructor(mount, inputs) {
      this.mount = mount;
      this.original = inputs;
      this.state = clone(inputs);
      this.baseline = W.scoreEvaluation(inputs);
      this.modeIndex = 0;
      this.uid = mount.id || "zwpj-whatif-" + ++counter;
      this.level = Number(mount.dataset.headingLevel || 3);
      this.build();
      this.update();
    }

    heading(text, id) {
      return el("h" + this.level, { id: id, tabindex: -1, text: text });
    }

    build() {
      const system = this.state.system;
      const u = this.uid;
      this.live = el("p", { class: "zwpj-whatif__summary", role: "status", "aria-live": "polite", "aria-atomic": "true" });
      this.scores = el("div", { class: "zwpj-whatif__scores" });
      this.steps = el("div", { class: "zwpj-whatif__steps" });
      this.controls = el("div", { class: "zwpj-whatif__controls" });
      const tools = el("div", { class: "zwpj-whatif__tools" });
      if (system.modes.length) {
        const options = system.modes.map((m, k) => el("option", { value: k, text: m.name }));
        const pick = el("select", { id: u + "-mode", onchange: () => { this.modeIndex = Number(pick.value); this.fill(); } },
          ...options);
        tools.append(el("div", { class: "zwpj-whatif__field" },
          el("label", { for: u + "-mode", text: "调整哪种评价方式的观测结果" }), pick));
      }
      tools.append(el("button", { type: "button", class: "zwpj-whatif__reset", text: "恢复原评价结果",
        onclick: () => { this.state = clone(this.original); this.fill(); } }));
      this.mount.replaceChildren(
        el("p", { class: "zwpj-whatif__intro", text: "修改任一指标的观测结果，维度得分、总分和等级随即按本评价的指标体系重新计算。"
          + "计算只在本页面内进行，不保存、不上传；正式结果以评价报告为准。" }),
        this.live, this.scores,
        this.heading("先提升哪些指标", u + "-steps-title"),
        el("p", { class: "zwpj-whatif__hint", text: "把每个指标单独提升一档后总分的变化：能改变等级的排在最前，其余按总分提高幅度排列。" }),
        this.steps,
        this.heading("逐项调整观测结果", u + "-controls-title"),
        tools, this.controls);
      this.fill();
    }

    /** (Re)builds the controls of the current mode, grouped by dimension. */
    fill() {
      const entries = this.state.modes[this.modeIndex].entries;
      const measured = this.state.measured || {};
      const groups = this.state.system.indicators.map((dim) => {
        const rows = leavesOf(dim).map((ind) => this.row(ind, entries, measured));
        return el("fieldset", { class: "zwpj-whatif__dimension" }, el("legend", { text: dim.id + " " + dim.name }), ...rows);
      });
      this.controls.replaceChildren(...groups);
      this.update();
    }

    row(ind, entries, measured) {
      const id = this.uid + "-" + this.modeIndex + "-" + ind.id.replace(/[^A-Za-z0-9_-]/g, "_");
      const entry = Object.prototype.hasOwnProperty.call(entries, ind.id) ? entries[ind.id] : null;
      const label = ind.id + " " + ind.name;
      const points = el("p", { class: "zwpj-whatif__points", "data-points": ind.id });
      let body;
      if (!entry) body = el("p", { text: label + "：未评分，按 0 分计" });
      else if (entry.not_applicable) body = el("p", { text: label + "：不适用（" + entry.not_applicable + "）" });
      else {
        const figure = ind.rule.measure ? measured[ind.rule.measure] : undefined;
        body = C.entryControls(ind, entry, figure, id, label, (next) => {
          this.state.modes[this.modeIndex].entries[ind.id] = next;
          this.update();
        });
      }
      return el("div", { class: "zwpj-whatif__leaf", id: id + "-row" }, body, points);
    }

    update() {
      let card;
      try {
        card = W.scoreEvaluation(this.state);
      } catch (e) {
        if (!(e instanceof R.Problem)) throw e;
        this.live.textContent = "无法计算：" + e.message;
        return;
      }
      this.card = card;
      this.summarise(card);
      this.scores.replaceChildren(this.dimensionTable(card), ...(this.state.system.modes.length ? [this.modeTable(card)] : []));
      this.markLeaves(card);
      this.listSteps(card);
    }

    summarise(card) {
      const digits = this.state.system.rounding.total;
      const base = this.baseline;
      const parts = ["模拟总分 ", el("strong", { text: fmt(card.total, digits) }), " 分（原 " + fmt(base.total, digits)
        + " 分，" + signed(card.total - base.total, digits) + "）"];
      if (this.state.system.grades.length) {  // a method may report a score without grades
        const grade = el("strong", { class: "zwpj-grade zwpj-grade--" + this.band(card.grade), text: card.grade });
        parts.push("，等级：", grade, card.grade === base.grade ? "（与原等级相同）" : "（原为“" + base.grade + "”）");
      }
      if (card.vetoes.length) {
        const byPoints = card.grade_by_points ? "，按分数应为“" + card.grade_by_points + "”" : "";
        parts.push("。一票否决：" + card.vetoes.join("、") + " 存在否决情形" + byPoints);
      }
      this.live.replaceChildren(...parts);
    }

    band(name) {
      return this.state.system.grades.findIndex((g) => g.name === name);
    }

    dimensionTable(card) {
      const mode = card.modes[this.modeIndex];
      const before = byId(this.baseline.modes[this.modeIndex].indicators);
      const system = this.state.system;
      const d = system.rounding.dimension;
      // Weight-0 groups of vetoes or bonuses carry no points of their own: their effect is the
      // bonus row below and the veto line above, as in the page's dimension table.
      const rows = mode.indicators.filter((i) => i.depth === 1 && i.weight > 0).map((i) => {
        const was = before.get(i.id);
        return [i.id + " " + i.name, fmt(i.effective_weight, d), value(was.points, d), value(i.points, d),
                i.points === null || was.points === null ? "—" : signed(i.points - was.points, d)];
      });
      const bonusWas = this.baseline.modes[this.modeIndex].bonus;
      if (system.bonus_cap > 0 || bonusWas || mode.bonus) {
        rows.push([system.bonus_cap > 0 ? "加分（上限 " + fmt(system.bonus_cap, d) + "）" : "加分", "—", fmt(bonusWas, d),
                   fmt(mode.bonus, d), signed(mode.bonus - bonusWas, d)]);
      }
      const t = system.rounding.total;
      const was = this.baseline.modes[this.modeIndex].total;
      rows.push([system.modes.length ? "本方式合计" : "总分", fmt(system.scale, t), fmt(was, t), fmt(mode.total, t),
                 signed(mode.total - was, t)]);
      const caption = "各维度得分" + (system.modes.length ? "（" + system.modes[this.modeIndex].name + "）" : "");
      return table(caption, ["维度", "满分", "原得分", "模拟得分", "变化"], rows);
    }

    modeTable(card) {
      const t = this.state.system.rounding.total;
      const rows = card.modes.map((m, k) => [m.name, String(m.weight), fmt(this.baseline.modes[k].total, t),
                                             fmt(m.total, t), signed(m.total - this.baseline.modes[k].total, t)]);
      rows.push(["综合得分", "—", fmt(this.baseline.total, t), fmt(card.total, t), signed(card.total - this.baseline.total, t)]);
      return table("各评价方式得分及综合得分", ["评价方式", "权重", "原得分", "模拟得分", "变化"], rows);
    }

    markLeaves(card) {
      const now = byId(card.modes[this.modeIndex].indicators);
      const before = byId(this.baseline.modes[this.modeIndex].indicators);
      const d = this.state.system.rounding.indicator;
      for (const node of this.controls.querySelectorAll("[data-points]")) {
        const id = node.getAttribute("data-points");
        const i = now.get(id);
        const was = before.get(id);
        const changed = JSON.stringify(this.state.modes[this.modeIndex].entries[id])
          !== JSON.stringify(this.original.modes[this.modeIndex].entries[id]);
        node.closest(".zwpj-whatif__leaf").classList.toggle("is-changed", changed);
        if (i.points === null) { node.textContent = "权重已分配给同级指标"; continue; }
        const own = i.weight > 0 ? "得分 " + fmt(i.points, d) + " / " + fmt(i.effective_weight, d) : "";
        const extra = i.bonus ? "加分 " + fmt(i.bonus, d) : i.vetoed ? "触发一票否决" : i.rule_kind === "veto" ? "未触发否决" : "";
        const wasText = changed && was.points !== null ? "（原 " + fmt(was.points, d) + "）" : "";
        node.textContent = [own + wasText, extra].filter(Boolean).join("；") + (changed ? " · 已修改" : "");
      }
    }

    listSteps(card) {
      const steps = S.rankSteps(this.state, card);
      const t = this.state.system.rounding.total;
      if (!steps.length) {
        this.steps.replaceChildren(el("p", { text: "各指标均已达到最高档，或再提升一档也不改变总分。" }));
        return;
      }
      const item = (s) => el("li", { "data-rise": fmt(s.rise, t), "data-total": fmt(s.total, t) },
        el("span", { class: "zwpj-whatif__step-name", text: (this.state.system.modes.length
          ? "［" + this.state.system.modes[s.modeIndex].name + "］" : "") + s.id + " " + s.name }),
        "：" + s.text + "，总分 " + signed(s.rise, t) + " 至 " + fmt(s.total, t),
        s.changesGrade ? el("strong", { class: "zwpj-whatif__grade-change", text: "，等级变为“" + s.grade + "”" }) : null,
        s.liftsVeto && !s.changesGrade ? "（解除一票否决；等级仍为“" + s.grade + "”）" : null,
        " ", el("button", { type: "button", text: "应用", "aria-label": "应用：" + s.id + " " + s.text,
          onclick: () => this.apply(s) }));
      const shown = el("ol", {}, ...steps.slice(0, SHOWN_STEPS).map(item));
      const rest = steps.length > SHOWN_STEPS ? el("details", {}, el("summary", { text: "其余 " + (steps.length - SHOWN_STEPS)
        + " 项" }), el("ol", { start: SHOWN_STEPS + 1 }, ...steps.slice(SHOWN_STEPS).map(item))) : null;
      const vetoed = card.vetoes.length
        ? el("p", { class: "zwpj-whatif__hint", text: "存在一票否决情形时，等级固定为最低档，分数再高也不改变等级。" }) : null;
      this.steps.replaceChildren(...[vetoed, shown, rest].filter(Boolean));
    }

    apply(step) {
      this.state.modes[step.modeIndex].entries[step.id] = step.entry;
      this.modeIndex = step.modeIndex;
      const pick = document.getElementById(this.uid + "-mode");
      if (pick) pick.value = String(step.modeIndex);
      this.fill();
      document.getElementById(this.uid + "-steps-title").focus();
    }
  }

  function value(points, digits) {
    return points === null ? "不适用" : fmt(points, digits);
  }

  /** A table in a wrapper that scrolls sideways if it must, reachable by keyboard when it does. */
  function table(caption, head, rows) {
    const id = "zwpj-whatif-caption-" + ++counter;
    return el("div", { class: "zwpj-whatif__table", role: "region", tabindex: 0, "aria-labelledby": id },
      el("table", { class: "zwpj-whatif__grid" },
      el("caption", { id: id, text: caption }),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row", text: r[0] }),
        ...r.slice(1).map((c) => el("td", { text: c })))))));
  }

  function leavesOf(ind) {
    return ind.children && ind.children.length ? ind.children.flatMap(leavesOf) : [ind];
  }

  function inputsOf(mount) {
    const inline = mount.querySelector('script[type="application/json"]');
    if (inline) return Promise.resolve(JSON.parse(inline.textContent));
    return fetch(mount.getAttribute("data-inputs")).then((r) => {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  /** Turns one mount point into a calculator (once). */
  function start(mount) {
    if (mount.hasAttribute("data-started")) return Promise.resolve();
    mount.setAttribute("data-started", "");
    return inputsOf(mount).then((inputs) => new Calculator(mount, inputs)).catch((e) => {
      mount.replaceChildren(el("p", { class: "zwpj-whatif__problem", text: "得分模拟计算器无法加载：" + e.message }));
    });
  }

  function startAll() {
    return Promise.all([...document.querySelectorAll(".zwpj-whatif")].map(start));
  }

  root.ZwpjWhatIfUI = { start, startAll, Calculator };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
  // Material for MkDocs swaps pages without reloading when instant navigation is on.
  if (root.document$ && typeof root.document$.subscribe === "function") root.document$.subscribe(startAll);
})(globalThis);
