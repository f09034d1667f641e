// « Mon CV »: the preview under the form follows what is typed, before saving.
// Without this file the preview is updated at each « Enregistrer »; nothing is saved from here.
const form = document.querySelector("form[data-cv-live]");
const preview = document.getElementById("cv-live");
if (form && preview && window.fetch) {
  let timer = null;
  let sent = 0;
  const refresh = async () => {
    const ticket = ++sent;
    try {
      const response = await fetch(form.dataset.cvLive, { method: "POST", body: new FormData(form), credentials: "same-origin" });
      if (response.ok && ticket === sent) preview.innerHTML = await response.text();
    } catch (_) { /* offline: the saved preview stays */ }
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 400); });
}
