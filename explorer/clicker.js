// The stage's keyboard and clicker: → / PageDown is "next", ← / PageUp is "back".
// Every press adds to a running total that is sent whole (setStateValue), so presses made while the
// page reruns are neither lost (the total includes them) nor doubled (Python applies the difference
// from the total it already applied). A mark shows at once that a press was taken.
const NEXT = new Set(["ArrowRight", "PageDown"]);
const BACK = new Set(["ArrowLeft", "PageUp"]);

export default function ({ parentElement, data, setStateValue }) {
  const host = parentElement.host || parentElement;  // the element Streamlit gave this component
  let state = host.mcClicker;
  if (!state) {
    state = host.mcClicker = { mount: Math.random().toString(36).slice(2), count: 0 };
  }
  let mark = parentElement.querySelector(".mc-clicker");
  if (!mark) {
    mark = document.createElement("div");
    mark.className = "mc-clicker";
    mark.setAttribute("aria-live", "polite");
    parentElement.appendChild(mark);
  }
  const applied = data && data.mount === state.mount ? data.applied : 0;
  const show = () => {
    const waiting = state.count - applied;
    mark.textContent = waiting ? (waiting > 0 ? "▶".repeat(Math.min(waiting, 5)) : "◀".repeat(Math.min(-waiting, 5))) + " …" : "";
    mark.style.display = waiting ? "block" : "none";
    mark.dataset.pressed = String(state.count);  // for tests: every press counted here
    mark.dataset.applied = String(applied);  // and what Python says it applied
  };
  show();
  const onKey = (event) => {
    if (event.repeat || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const step = NEXT.has(event.key) ? 1 : BACK.has(event.key) ? -1 : 0;
    if (!step) return;
    event.preventDefault();  // no scrolling: the key belongs to the show
    state.count += step;
    show();
    setStateValue("presses", { mount: state.mount, count: state.count });
  };
  // Streamlit calls this function again whenever `data` changes: one listener per component, ever.
  if (host.mcClickerOff) host.mcClickerOff();
  document.addEventListener("keydown", onKey, true);
  host.mcClickerOff = () => document.removeEventListener("keydown", onKey, true);
  return host.mcClickerOff;
}
