// The local editor needs no login: its server listens on this computer only, and writes only
// this site's own content folders. Decap remembers a user per backend; give it one.
if (!window.localStorage.getItem("decap-cms-user")) {
  window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy", name: "Author" }));
}
