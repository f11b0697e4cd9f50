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
      if (row[2]) option.setAttribute("data-key", row[2]);
      if (String(row[0]) === current) option.selected = true;
      select.appendChild(option);
    });
    select.dispatchEvent(new Event("picker:reload"));
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

  // Text as the quick-entry grid compares it: no diacritics, "đ" read as "d", lower case,
  // punctuation as single spaces ("Năm/ngày sinh" -> "nam ngay sinh").
  function plain(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  // Cells copied from Excel or LibreOffice: tabs between cells, a line break between rows; a
  // cell holding a tab, a line break or a quote comes quoted, its quotes doubled. Trailing
  // blank rows (the copy's last line break) are dropped.
  function parseCells(text) {
    var rows = [], row = [], cell = "", quoted = false, i = 0;
    text = String(text || "").replace(/\r\n?/g, "\n");
    while (i < text.length) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i += 2; continue; }
        if (ch === '"') quoted = false; else cell += ch;
        i++;
        continue;
      }
      if (ch === '"' && cell === "") quoted = true;
      else if (ch === "\t") { row.push(cell); cell = ""; }
      else if (ch === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
      else cell += ch;
      i++;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    while (rows.length && rows[rows.length - 1].every(function (c) { return !c.trim(); })) rows.pop();
    return rows;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  var TRUE_WORDS = ["x", "co", "1", "true", "yes", "y", "v", "dung"];
  var FALSE_WORDS = ["", "0", "khong", "false", "no", "n", "sai"];
  // What registers write in the sex and status columns, in whatever language the page is.
  var CHOICE_WORDS = {
    sex: { f: "female", nu: "female", m: "male", nam: "male" },
    status: {
      ngheo: "poor", "ho ngheo": "poor", "can ngheo": "near_poor", "ho can ngheo": "near_poor",
      "kho khan": "disadvantaged", "ho kho khan": "disadvantaged", khong: "none",
    },
  };

  // Put one pasted cell's text into a grid control; false when it cannot be read.
  function setControl(control, raw) {
    var text = String(raw || "").trim();
    var key = plain(text);
    if (control.type === "checkbox") {
      if (TRUE_WORDS.indexOf(key) >= 0 || /^[\u2713\u2714\u2611]$/.test(text)) control.checked = true;
      else if (FALSE_WORDS.indexOf(key) >= 0) control.checked = false;
      else return false;
    } else if (control.tagName === "SELECT") {
      var options = Array.prototype.slice.call(control.options);
      var found = null;
      if (!key) {
        found = options.filter(function (o) { return o.defaultSelected; })[0] || options[0];
      } else {
        var words = CHOICE_WORDS[control.name.replace(/^.*-/, "")] || {};
        var wanted = words[key] || key;
        var names = function (o) {
          var label = plain(o.textContent);
          return [o.value, plain(o.value), label, label.replace(/^ho /, "")];
        };
        found = options.filter(function (o) { return o.value && names(o).indexOf(wanted) >= 0; })[0];
        if (!found) {
          var starts = options.filter(function (o) {
            return o.value && names(o)[3].indexOf(wanted) === 0;
          });
          found = starts.length === 1 ? starts[0] : null;
        }
      }
      if (!found) return false;
      control.value = found.value;
    } else {
      control.value = text;
    }
    control.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  // Quick entry: rows added in the page without a round trip ("add 10 rows", and as many as a
  // paste needs), and rows pasted from a spreadsheet: from the cell pasted into, in the grid's
  // column order, or by the column names of a pasted header row.
  document.querySelectorAll("form[data-quick-entry]").forEach(function (form) {
    var button = form.querySelector("[data-add-rows]");
    var template = document.getElementById("quick-row-template");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var body = form.querySelector("#quick-grid tbody");
    var status = form.querySelector("[data-paste-status]");
    if (!button || !template || !total || !body) return;
    var maxRows = parseInt(form.getAttribute("data-max-rows"), 10) || 200;
    var columns = Array.prototype.map.call(
      form.querySelectorAll("#quick-grid thead th[data-column]"),
      function (th) {
        var aliases = (th.getAttribute("data-aliases") || "").split("|");
        return {
          name: th.getAttribute("data-column"),
          label: th.textContent.trim(),
          keys: [plain(th.textContent)].concat(aliases.map(plain)).filter(Boolean),
        };
      }
    );

    function addRow() {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      row.querySelector(".rownum").textContent = String(index + 1);
      body.appendChild(row);
      total.value = String(index + 1);
      return row;
    }

    function control(row, name) {
      return row.querySelector("[name$='-" + name + "']:not([type=hidden])");
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      for (var i = 0; i < 10 && body.rows.length < maxRows; i++) addRow();
    });

    // The column each cell of a header row names (-1: none), or null when it is no header:
    // at least two cells, or every filled one, name a column.
    function headerColumns(cells) {
      var matched = 0, filled = 0;
      var found = cells.map(function (cell) {
        var key = plain(cell);
        if (key) filled++;
        for (var c = 0; c < columns.length; c++) {
          if (key && columns[c].keys.indexOf(key) >= 0) { matched++; return c; }
        }
        return -1;
      });
      return matched >= 2 || (matched && matched === filled) ? found : null;
    }

    body.addEventListener("paste", function (event) {
      var target = event.target;
      var startRow = target.closest && target.closest("tr");
      var data = event.clipboardData || window.clipboardData;
      if (!startRow || !data) return;
      var text = data.getData("text/plain") || data.getData("Text");
      var rows = parseCells(text);
      var single = rows.length <= 1 && (!rows.length || rows[0].length <= 1);
      if (single && target.type !== "checkbox" && target.tagName !== "SELECT") return;
      event.preventDefault();
      if (!rows.length) return;
      var startColumn = Math.max(0, columns.map(function (c) { return c.name; })
        .indexOf((target.name || "").replace(/^.*-/, "")));
      var mapping = headerColumns(rows[0]);
      if (mapping) rows.shift();
      else mapping = rows[0].map(function (_, j) { return startColumn + j; });
      var first = Array.prototype.indexOf.call(body.rows, startRow);
      var room = maxRows - first;
      var dropped = Math.max(0, rows.length - room);
      if (dropped) rows = rows.slice(0, room);
      var unread = [];
      rows.forEach(function (cells, i) {
        var row = body.rows[first + i] || addRow();
        cells.forEach(function (cell, j) {
          var column = columns[mapping[j]];
          if (mapping[j] === undefined || mapping[j] < 0 || !column) return;
          var field = control(row, column.name);
          if (field) field.closest("td").classList.remove("paste-unread");
          if (field && !setControl(field, cell)) {
            // Marked until the cell is chosen again.
            field.closest("td").classList.add("paste-unread");
            field.addEventListener("change", function () {
              field.closest("td").classList.remove("paste-unread");
            }, { once: true });
            unread.push(fill(form.getAttribute("data-msg-cell") || "", {
              n: first + i + 1, column: column.label, value: cell.trim(),
            }));
          }
        });
      });
      if (!status) return;
      var message = [fill(form.getAttribute("data-msg-pasted") || "", { n: rows.length })];
      if (dropped) {
        message.push(fill(form.getAttribute("data-msg-too-many") || "", { max: maxRows, n: dropped }));
      }
      if (unread.length) {
        message.push(fill(form.getAttribute("data-msg-unread") || "", {
          cells: unread.slice(0, 10).join("; ") + (unread.length > 10 ? "…" : ""),
        }));
      }
      status.textContent = message.join(" ");
    });
  });

  // An error summary at the top of a form that was refused takes the focus (a screen reader
  // reads it); each of its links puts the focus in the cell it names.
  document.querySelectorAll("[data-error-summary]").forEach(function (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  });

  // Pickers (common.fields.picker_attrs): a labelled search box before a long list (a select,
  // or a list whose items carry data-key) keeps the items each of whose typed words starts a
  // word of the item's key (no diacritics needed; a commune's "Xã", "Phường"... is not in its
  // key). The chosen option and ticked items always stay; a polite status says how many are
  // left; Enter picks the one left instead of sending the form.
  function pickerMatches(key, words) {
    var have = plain(key).split(" ");
    return words.every(function (w) {
      return have.some(function (h) { return h.indexOf(w) === 0; });
    });
  }

  document.querySelectorAll("[data-picker]").forEach(function (list) {
    var isSelect = list.tagName === "SELECT";
    var id = (list.id || "picker") + "_search";
    var wrap = document.createElement("div");
    wrap.className = "picker-search";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = list.getAttribute("data-picker-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("data-picker-search", "");
    if (list.id) input.setAttribute("aria-controls", list.id);
    var status = document.createElement("span");
    status.id = id + "_status";
    status.className = "help";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    list.parentNode.insertBefore(wrap, list);

    function items() {
      return Array.prototype.slice.call(
        isSelect ? list.options : list.querySelectorAll("[data-key]")
      ).filter(function (item) { return !isSelect || item.value; });
    }
    function kept(item) {
      if (isSelect) return item.selected;
      var box = item.querySelector("input[type=checkbox]");
      return !!(box && box.checked);
    }
    function filter() {
      var words = plain(input.value).split(" ").filter(Boolean);
      var shown = [];
      var all = items();
      all = all.filter(function (item) {
        if (!item.hasAttribute("data-off")) return true;
        item.hidden = true;
        if (isSelect) item.disabled = true;
        return false;
      });
      all.forEach(function (item) {
        var match = !words.length ||
          pickerMatches(item.getAttribute("data-key") || item.textContent, words);
        if (match) shown.push(item);
        item.hidden = !match && !kept(item);
        if (isSelect) item.disabled = item.hidden;
      });
      if (isSelect) {
        list.querySelectorAll("optgroup").forEach(function (group) {
          var any = Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
          group.hidden = !any;
        });
      }
      status.textContent = !words.length ? "" : shown.length
        ? fill(list.getAttribute("data-picker-found") || "", { n: shown.length, total: all.length })
        : list.getAttribute("data-picker-none") || "";
      return shown;
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var shown = filter();
      if (shown.length !== 1) return;
      if (isSelect) {
        list.value = shown[0].value;
        list.dispatchEvent(new Event("change", { bubbles: true }));
        list.focus();
      } else {
        var box = shown[0].querySelector("input[type=checkbox]");
        if (box) box.focus();
      }
    });
    list.addEventListener("picker:reload", function () { input.value = ""; filter(); });
    list.addEventListener("picker:filter", filter);
  });

  // A province picker of both eras (the reports page): only the provinces of the as-of
  // date's era are offered (values "<era>:<code>"); a chosen one of the other era is cleared.
  document.querySelectorAll("select[data-era-of]").forEach(function (select) {
    var date = document.getElementById(select.getAttribute("data-era-of"));
    var reform = parseDay(select.getAttribute("data-reform-date"));
    if (!date || !reform) return;
    function toggle() {
      var day = parseDay(date.value) || new Date();
      var era = day < reform ? "pre2025" : "post2025";
      Array.prototype.forEach.call(select.options, function (option) {
        var off = !!option.value && option.value.split(":")[0] !== era;
        if (off) option.setAttribute("data-off", "");
        else option.removeAttribute("data-off");
        if (off && option.selected) select.value = "";
      });
      // One province of that era left to choose (an officer's): it is chosen.
      var left = Array.prototype.filter.call(select.options, function (o) {
        return o.value && !o.hasAttribute("data-off");
      });
      if (!select.value && left.length === 1) select.value = left[0].value;
      select.dispatchEvent(new Event("picker:filter"));
    }
    date.addEventListener("input", toggle);
    date.addEventListener("change", toggle);
    toggle();
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
