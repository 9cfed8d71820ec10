// The local editor needs no login: its server listens on this computer only, and writes only
// this site's own content folders. Decap remembers a user per backend; give it one.
if (!window.localStorage.getItem("decap-cms-user")) {
  window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy", name: "Author" }));
}

// Decap leaves a few controls without a name for screen readers: name them after their field.
// and put the whole application in one landmark (Decap's own markup has none).
function nameUnnamedControls() {
  [...document.body.children].forEach((child) => {
    if (child.tagName !== "DIV" || child.getAttribute("role")) return;
    if (child.id === "nc-root") child.setAttribute("role", "main");
    else child.setAttribute("role", "region"), child.setAttribute("aria-label", "Messages");
    if (child.tagName === "CANVAS") child.setAttribute("aria-hidden", "true");   // the loading bar
  });
  document.querySelectorAll('[role="textbox"]:not([aria-label]):not([aria-labelledby])').forEach((box) => {
    const label = box.closest('[aria-label]') && box.closest('[class*="ControlContainer"]')?.querySelector("label");
    if (label) box.setAttribute("aria-label", label.textContent.replace(/\s*\(optional\)$/, ""));
  });
}
new MutationObserver(nameUnnamedControls).observe(document.documentElement, { childList: true, subtree: true });
