// Small progressive enhancements of the workspace (the pages work without them).
// Loaded as a static file: no inline scripts, so a strict Content-Security-Policy holds.
(function () {
  "use strict";

  function parseDay(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text || "");
    return m ? new Date(+m[3], +m[2] - 1, +m[1]) : null;
  }

  function fillSelect(select, rows) {
    var keep = select.options.length && select.options[0].value === "" ? select.options[0] : null;
    var current = select.value;
    select.innerHTML = "";
    if (keep) select.appendChild(keep);
    rows.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row[0];
      option.textContent = row[1];
      if (String(row[0]) === current) option.selected = true;
      select.appendChild(option);
    });
  }

  // Commune pickers: the communes of the chosen province only (10,000 communes in all).
  document.querySelectorAll("form[data-communes-url]").forEach(function (form) {
    var url = form.getAttribute("data-communes-url");
    var province = form.querySelector("[data-commune-picker=province]");
    if (!province) return;
    var targets = [
      [form.querySelector("select[data-commune-picker=commune]"), "post2025"],
      [form.querySelector("select[data-commune-picker=founding_commune]"), "pre2025"],
    ];
    province.addEventListener("change", function () {
      targets.forEach(function (pair) {
        var select = pair[0];
        if (!select) return;
        if (!province.value) { fillSelect(select, []); return; }
        fetch(url + "?province=" + encodeURIComponent(province.value) + "&era=" + pair[1], {
          credentials: "same-origin",
        })
          .then(function (r) { return r.ok ? r.json() : { communes: [] }; })
          .then(function (data) { fillSelect(select, data.communes); });
      });
    });
  });

  // Club form: before the reform the founding (old) commune, from it the current commune.
  document.querySelectorAll("form[data-club-form]").forEach(function (form) {
    var founded = form.querySelector("[data-reform-date]");
    var oldWrap = document.getElementById("wrap_founding_commune");
    var newWrap = document.getElementById("wrap_commune");
    if (!founded || !oldWrap || !newWrap) return;
    var reform = parseDay(founded.getAttribute("data-reform-date"));
    function toggle() {
      var day = parseDay(founded.value);
      var before = day && day < reform;
      var after = day && day >= reform;
      oldWrap.hidden = !!after && !oldWrap.classList.contains("has-error");
      newWrap.hidden = !!before && !newWrap.classList.contains("has-error") &&
        !form.querySelector("select[data-commune-picker=commune]").value;
    }
    founded.addEventListener("input", toggle);
    founded.addEventListener("change", toggle);
    toggle();
  });

  // Loan form: the item field only for loans in kind.
  document.querySelectorAll("[data-show-when-kind]").forEach(function (input) {
    var wrap = input.closest(".field");
    var form = input.form;
    function toggle() {
      var checked = form.querySelector("input[name=kind]:checked");
      wrap.hidden = !checked || checked.value !== input.getAttribute("data-show-when-kind");
    }
    form.querySelectorAll("input[name=kind]").forEach(function (r) {
      r.addEventListener("change", toggle);
    });
    toggle();
  });

  // Quick entry: "add 10 rows" in the page, without a round trip.
  document.querySelectorAll("form[data-quick-entry]").forEach(function (form) {
    var button = form.querySelector("[data-add-rows]");
    var template = document.getElementById("quick-row-template");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var body = form.querySelector("#quick-grid tbody");
    if (!button || !template || !total || !body) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      for (var i = 0; i < 10; i++) {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("tbody");
        holder.innerHTML = html;
        var row = holder.firstElementChild;
        row.querySelector(".rownum").textContent = String(index + 1);
        body.appendChild(row);
        total.value = String(index + 1);
      }
    });
  });

  // A form posts once: its buttons are disabled once it is sent (after the browser has taken
  // the clicked button's name and value), so a double click sends one request. The server
  // holds to that too (each create form's token is claimed once).
  document.querySelectorAll("form[method=post], form[method=POST]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
      window.setTimeout(function () {
        buttons.forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
      }, 0);
      // Re-enable if the page is shown again from the back/forward cache.
      window.addEventListener("pageshow", function () {
        buttons.forEach(function (button) {
          button.disabled = false;
          button.removeAttribute("aria-busy");
        });
      }, { once: true });
    });
  });
})();
