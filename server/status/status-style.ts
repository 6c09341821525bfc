/** The status page's stylesheet: system fonts, no external requests, light and dark, one column on a phone. */
export const STATUS_CSS = `
:root { --bg: #f6f7f9; --card: #fff; --text: #1b1f24; --muted: #667085; --line: #e4e7ec;
  --up: #12b76a; --down: #f04438; --unknown: #98a2b3; --warn: #f79009; --down-bg: #fef3f2; --up-bg: #ecfdf3; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1318; --card: #171c22; --text: #e6e9ee; --muted: #98a2b3; --line: #262d36; --down-bg: #3a1a18; --up-bg: #10291d; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 20px 16px 40px; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 20px; }
h1 { font-size: 20px; margin: 0; letter-spacing: -0.01em; }
h1 small { color: var(--muted); font-weight: 400; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 28px 0 10px; }
.pill { display: inline-flex; align-items: center; gap: 6px; padding: 4px 12px; border-radius: 999px; font-weight: 600; font-size: 14px; }
.pill.up { background: var(--up-bg); color: var(--up); }
.pill.down { background: var(--down-bg); color: var(--down); }
.pill.unknown { background: var(--line); color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-bottom: 10px; }
.row { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.name { display: flex; align-items: center; gap: 8px; font-weight: 600; min-width: 0; }
.dot { width: 10px; height: 10px; border-radius: 50%; flex: none; background: var(--unknown); }
.dot.up { background: var(--up); } .dot.down { background: var(--down); }
.badge { font-size: 12px; font-weight: 500; color: var(--muted); border: 1px solid var(--line); border-radius: 6px; padding: 0 6px; }
.state { font-size: 14px; color: var(--muted); }
.state.down { color: var(--down); font-weight: 600; } .state.up { color: var(--up); }
.target { color: var(--muted); font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin: 4px 0 10px; }
.history { display: flex; gap: 2px; height: 24px; align-items: stretch; }
.history span { flex: 1 1 0; min-width: 2px; border-radius: 2px; background: var(--line); }
.history span.ok { background: var(--up); } .history span.fail { background: var(--down); }
.meta { display: flex; justify-content: space-between; color: var(--muted); font-size: 12px; margin-top: 6px; }
.error { margin-top: 10px; padding: 8px 10px; border-radius: 6px; background: var(--down-bg); color: var(--down);
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
.error pre { margin: 6px 0 0; color: var(--text); opacity: 0.8; white-space: pre-wrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; }
.grid .card { margin: 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 14px; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; }
.empty { color: var(--muted); font-size: 14px; padding: 4px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; display: flex; justify-content: space-between; flex-wrap: wrap; gap: 8px; }
button, input { font: inherit; }
footer button { background: none; border: 0; color: var(--muted); text-decoration: underline; cursor: pointer; padding: 0; }
.login { max-width: 360px; margin: 12vh auto; }
.login input { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--card); color: var(--text); margin: 8px 0 12px; }
.login button { width: 100%; padding: 10px; border: 0; border-radius: 8px; background: var(--text); color: var(--bg); font-weight: 600; cursor: pointer; }
`;
