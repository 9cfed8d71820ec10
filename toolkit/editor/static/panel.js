// The toolkit's own bar under Decap's editor: what `toolkit check` finds in a file just saved,
// and local copies of shipped pages (which the editor never changes). Both ask the editor's
// own server (api/v1, the same origin); Decap is told nothing but an address to open.
(function () {
  "use strict";
  const API = "api/v1";

  async function call(action, params) {
    const response = await fetch(API, { method: "POST", headers: { "Content-Type": "application/json" },
                                        body: JSON.stringify({ action, params: params || {} }) });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    return answer;
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === "onclick") node.addEventListener("click", value);
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    });
    node.append(...children);
    return node;
  }

  const results = element("div", { id: "toolkit-check", class: "toolkit-check", role: "status",
                                   "aria-live": "polite" });
  const bar = element("aside", { class: "toolkit-bar", "aria-label": "Toolkit" });

  // After a save: the file's problems, by line, in plain words.
  function showCheck(answer) {
    const problems = answer.problems;
    const heading = element("h2", { text: problems.length
      ? `${answer.path}: the check finds ${problems.length} problem${problems.length === 1 ? "" : "s"}`
      : `${answer.path}: saved, and the check finds no problems` });
    const list = element("ul", {}, ...problems.map((p) => element("li", { class: `toolkit-${p.severity}` },
      element("strong", { text: `Line ${p.line}, ${p.severity}: ` }), `${p.message}.`,
      p.hint ? ` ${p.hint.charAt(0).toUpperCase()}${p.hint.slice(1)}.` : "")));
    const elsewhere = answer.errors_elsewhere
      ? element("p", { text: `${answer.errors_elsewhere} error${answer.errors_elsewhere === 1 ? "" : "s"} in other ` +
                             "files: the preview's banner lists them." }) : "";
    const close = element("button", { type: "button", class: "toolkit-close", text: "Hide",
                                      onclick: () => { results.replaceChildren(); results.hidden = true; } });
    results.replaceChildren(heading, problems.length ? list : "", elsewhere, close);
    results.hidden = false;
    results.classList.toggle("toolkit-has-errors", problems.some((p) => p.severity === "error"));
  }

  // A new entry has neither path nor slug yet when Decap reports the save: the server works the
  // path out from the collection's slug template and the entry's fields.
  async function checkSaved(entry) {
    const params = { path: entry.get("path"), collection: entry.get("collection"), slug: entry.get("slug"),
                     fields: entry.get("data").toJS() };
    try {
      showCheck(await call("checkFile", params));
    } catch (error) {
      results.replaceChildren(element("p", { text: `Could not check the saved file: ${error.message}` }));
      results.hidden = false;
    }
  }

  // Shipped pages: a dialog listing them, each with "Make a local copy" (or "Edit your copy").
  const dialog = element("dialog", { class: "toolkit-dialog", "aria-labelledby": "toolkit-shipped-title" });
  async function openShipped() {
    const filter = element("input", { type: "search", id: "toolkit-shipped-filter", autocomplete: "off" });
    const list = element("ul", { class: "toolkit-shipped" });
    const message = element("p", { role: "alert", class: "toolkit-message" });
    dialog.replaceChildren(
      element("h2", { id: "toolkit-shipped-title", text: "Pages that come with the toolkit" }),
      element("p", { text: "These pages are never changed here. Make a local copy to edit one: the copy " +
                           "has the same id, so on your site it replaces the shipped page." }),
      element("label", { for: "toolkit-shipped-filter", text: "Find a page" }), filter, message, list,
      element("button", { type: "button", class: "toolkit-close", text: "Close", onclick: () => dialog.close() }));
    dialog.showModal();
    let pages = [];
    try {
      pages = await call("shippedPages");
    } catch (error) {
      message.textContent = `Could not list the shipped pages: ${error.message}`;
    }
    const render = () => {
      const words = filter.value.trim().toLowerCase();
      list.replaceChildren(...pages.filter((p) => !words || `${p.title} ${p.id}`.toLowerCase().includes(words))
        .map((page) => element("li", {}, element("span", { text: `${page.title} ` }),
          element("span", { class: "toolkit-kind", text: `(${page.kind.toLowerCase()})` }),
          element("button", { type: "button", "aria-label": `${page.copy ? "Edit your copy of" : "Make a local copy of"} ${page.title}`,
                              text: page.copy ? "Edit your copy" : "Make a local copy",
                              onclick: () => copy(page, message) }))));
    };
    filter.addEventListener("input", render);
    render();
    filter.focus();
  }

  async function copy(page, message) {
    try {
      const route = page.copy || (await call("copyShipped", { id: page.id })).route;
      if (!route) throw new Error("the copy is outside the folders this editor shows");
      dialog.close();
      window.location.hash = `#${route}`;
    } catch (error) {
      message.textContent = `Could not copy ${page.title}: ${error.message}`;
    }
  }

  results.hidden = true;
  bar.append(element("button", { type: "button", class: "toolkit-shipped-button", "aria-haspopup": "dialog",
                                 text: "Shipped pages: make a local copy", onclick: openShipped }), results);
  document.body.append(bar, dialog);
  window.CMS.registerEventListener({ name: "postSave", handler: ({ entry }) => { checkSaved(entry); } });
})();
