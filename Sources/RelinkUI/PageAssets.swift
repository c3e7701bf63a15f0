/// The page's stylesheet and script, shipped inside relink: the page fetches nothing from anywhere
/// else (its Content-Security-Policy says so to the browser too).
enum PageAssets {
    static let stylesheet = #"""
        :root { --green: #1f845a; --yellow: #b38600; --yellow-bg: #fff7d6; --grey: #626f86; --text: #172b4d;
          --muted: #44546f; --line: #dcdfe4; --blue: #0c66e4; --red: #c9372c; font-family: system-ui, -apple-system,
          "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); }
        body { margin: 0; background: #f7f8f9; font-size: 14px; line-height: 1.45; }
        .topbar { display: flex; gap: 16px; align-items: center; background: #fff; border-bottom: 1px solid var(--line);
          padding: 10px 24px; }
        .brand { font-weight: 700; color: var(--blue); text-decoration: none; font-size: 16px; }
        .where { color: var(--muted); flex: 1; }
        .live { color: var(--grey); font-size: 12px; }
        body[data-live="on"] .live { color: var(--green); }
        main { max-width: 980px; margin: 20px auto; background: #fff; border: 1px solid var(--line); border-radius: 6px;
          padding: 20px 28px; }
        h1 { font-size: 22px; margin: 4px 0 12px; } h2 { font-size: 16px; margin: 18px 0 8px; }
        .site { color: var(--muted); font-weight: 400; font-size: 15px; }
        .crumbs { color: var(--muted); } .crumbs a { color: var(--blue); }
        .integration { border: 1px solid var(--line); border-radius: 6px; padding: 12px 18px; }
        .integration[data-indicator="yellow"] { border-color: var(--yellow); background: var(--yellow-bg); }
        .status { font-size: 16px; margin: 6px 0 10px; } .headline { font-weight: 600; }
        .indicator { display: inline-flex; gap: 4px; align-items: center; font-weight: 600; border-radius: 3px;
          padding: 1px 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
        .indicator.green { color: #fff; background: var(--green); }
        .indicator.yellow { color: #172b4d; background: #f5cd47; }
        .indicator.grey { color: #fff; background: var(--grey); }
        .warning { border-left: 4px solid var(--yellow); background: #fff; padding: 8px 12px; margin: 8px 0 12px; }
        .notice { border-left: 4px solid var(--grey); padding: 6px 12px; margin: 8px 0; color: var(--muted); }
        dl.fields { display: grid; grid-template-columns: 160px 1fr; gap: 4px 12px; margin: 8px 0; }
        dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; }
        .actions { display: flex; gap: 8px; align-items: flex-start; margin: 12px 0 4px; }
        .actions form { margin: 0; }
        button { font: inherit; border-radius: 3px; border: 1px solid var(--line); background: #fff; padding: 5px 12px;
          cursor: pointer; }
        button.primary { background: var(--blue); color: #fff; border-color: var(--blue); }
        button.danger { color: var(--red); border: none; background: none; padding: 6px 8px; width: 100%; text-align: left; }
        button.simulation { border: none; background: none; padding: 6px 8px; width: 100%; text-align: left;
          color: var(--muted); font-style: italic; }
        button:disabled { opacity: .5; cursor: progress; }
        details.menu { position: relative; } details.menu summary { list-style: none; cursor: pointer; border: 1px solid var(--line);
          border-radius: 3px; padding: 4px 12px; font-weight: 700; background: #fff; }
        details.menu summary::-webkit-details-marker { display: none; }
        .menu-items { position: absolute; z-index: 2; background: #fff; border: 1px solid var(--line); border-radius: 4px;
          box-shadow: 0 4px 12px rgba(9,30,66,.15); min-width: 240px; padding: 4px 0; }
        .menu-heading { margin: 6px 8px 2px; font-size: 11px; color: var(--muted); text-transform: uppercase; }
        .hint, .readonly { color: var(--muted); margin: 6px 0; } code { background: #f1f2f4; padding: 0 4px; border-radius: 3px; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; }
        .filter { display: flex; gap: 12px; align-items: center; margin: 8px 0 12px; }
        .filter input[type=search] { width: 300px; padding: 4px 6px; }
        .pager { display: flex; gap: 12px; margin-top: 10px; color: var(--muted); } .pager a { color: var(--blue); }
        .summary { color: var(--muted); }
        ol.events { list-style: none; padding: 0; margin: 0; } ol.events li { padding: 4px 0; border-bottom: 1px solid var(--line); }
        ol.events time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 8px; }
        .actor { color: var(--muted); }
        .empty { color: var(--muted); }
        .flash { max-width: 980px; margin: 12px auto 0; background: #e9f2ff; border: 1px solid #cce0ff; border-radius: 4px;
          padding: 8px 12px; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
        .flash.failed { background: #ffeceb; border-color: #ffd5d2; }
        .footer { max-width: 980px; margin: 0 auto 24px; color: var(--muted); font-size: 12px; }
        """#

    /// Live updates over Server-Sent Events (a "changed" event re-fetches the content), and actions
    /// as POSTs carrying the page's token.
    static let script = #"""
        "use strict";
        (function () {
          const token = document.querySelector('meta[name="relink-token"]').content;
          const content = document.getElementById("content");
          const flash = document.getElementById("flash");
          const project = content.dataset.project;
          let latest = 0;

          async function refresh() {
            const request = ++latest;
            const response = await fetch(content.dataset.fragment, { cache: "no-store" });
            if (!response.ok || request !== latest) return;
            const html = await response.text();
            if (request !== latest) return;
            // Keep an open "⋯" menu open across the swap.
            const menuOpen = !!content.querySelector("details.menu[open]");
            content.innerHTML = html;
            if (menuOpen) { const menu = content.querySelector("details.menu"); if (menu) menu.open = true; }
            document.body.dataset.refreshed = String(request);
          }

          function listen() {
            const events = new EventSource("/events" + (project ? "?project=" + encodeURIComponent(project) : ""));
            events.addEventListener("hello", () => { document.body.dataset.live = "on"; refresh(); });
            events.addEventListener("changed", refresh);
            events.onerror = () => { document.body.dataset.live = "off"; };
          }

          document.addEventListener("submit", async (event) => {
            const form = event.target;
            if (!form.classList.contains("action")) return;
            event.preventDefault();
            const menu = form.closest("details.menu");
            if (menu) menu.open = false;
            for (const button of content.querySelectorAll("form.action button")) button.disabled = true;
            flash.hidden = false;
            flash.className = "flash";
            flash.textContent = "Running " + form.querySelector("button").textContent + "…";
            try {
              const response = await fetch(form.action, {
                method: "POST",
                headers: { "X-Relink-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams(new FormData(form)),
              });
              flash.textContent = await response.text();
              if (!response.ok) flash.className = "flash failed";
            } catch (error) {
              flash.textContent = "The page could not reach relink: " + error;
              flash.className = "flash failed";
            }
            await refresh();
          });

          listen();
        })();
        """#
}
