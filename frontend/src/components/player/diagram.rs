//! The sequence diagram: two timelines, one arrow per segment, states beside each timeline.

use leptos::prelude::*;
use tcplab_core::tcp::{Fate, Run, Side, Step, StepKind, TcpState};

use super::{Playhead, detail, numbers};
use crate::i18n::{Key, use_i18n};

/// Where everything goes in a diagram drawn `width` CSS pixels wide. The diagram is laid out for
/// the width it is shown at (one SVG unit is one CSS pixel), so its text is as large on a phone as
/// on a desktop: a narrow diagram is re-arranged, not scaled down.
#[derive(Clone, Copy, PartialEq)]
struct Geometry {
    width: f64,
    client_x: f64,
    server_x: f64,
    /// Narrow: the timelines at the edges, the label in two lines above its arrow, the states
    /// inside the timelines. Wide: the states outside the timelines, the label in one line.
    narrow: bool,
}

/// Narrower than this, a one-line segment label and the states beside the timelines do not fit.
const NARROW_BELOW: f64 = 520.0;
/// A wider diagram is scaled up rather than spread out: the arrows stay readable as a slope.
const MAX_WIDTH: f64 = 640.0;
/// Narrower screens than any phone's still get a drawing, scaled down.
const MIN_WIDTH: f64 = 280.0;
const TOP: f64 = 56.0;

impl Geometry {
    fn for_width(shown: f64) -> Self {
        // Whole tens of pixels: a window being resized does not redraw the diagram on every pixel.
        let width = ((shown / 10.0).floor() * 10.0).clamp(MIN_WIDTH, MAX_WIDTH);
        if width < NARROW_BELOW {
            Geometry { width, client_x: 12.0, server_x: width - 12.0, narrow: true }
        } else {
            let margin = 150.0 * width / MAX_WIDTH;
            Geometry { width, client_x: margin, server_x: width - margin, narrow: false }
        }
    }

    fn x_of(&self, side: Side) -> f64 {
        match side {
            Side::Client => self.client_x,
            Side::Server => self.server_x,
        }
    }

    fn row(&self) -> f64 {
        if self.narrow { 86.0 } else { 64.0 }
    }

    /// How far below its row's top an arrow starts (below the label when narrow) and how far it drops.
    fn arrow(&self) -> (f64, f64) {
        if self.narrow { (24.0, 32.0) } else { (0.0, 44.0) }
    }

    fn height(&self, rows: usize) -> f64 {
        TOP + self.row() * rows as f64 + 24.0
    }

    /// Where a side's state is written: `x` and the text anchor.
    fn state_at(&self, side: Side) -> (f64, &'static str) {
        match (side, self.narrow) {
            (Side::Client, false) => (self.client_x - 12.0, "end"),
            (Side::Server, false) => (self.server_x + 12.0, "start"),
            (Side::Client, true) => (self.client_x + 6.0, "start"),
            (Side::Server, true) => (self.server_x - 6.0, "end"),
        }
    }

    /// Where a side's name is written at the top: centred on its timeline, or inside the edge.
    fn side_label_at(&self, side: Side) -> (f64, &'static str) {
        match (side, self.narrow) {
            (side, false) => (self.x_of(side), "middle"),
            (Side::Client, true) => (2.0, "start"),
            (Side::Server, true) => (self.width - 2.0, "end"),
        }
    }
}

/// A number for each diagram drawn, for ids unique on the page.
fn next_diagram_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[component]
pub fn Diagram(run: StoredValue<Run>, head: Playhead) -> impl IntoView {
    let i18n = use_i18n();
    let rows = run.with_value(|r| r.steps.len());
    let (client0, server0) = run.with_value(|r| (r.client_initial, r.server_initial));
    // One page can hold several players (a lesson, a quiz's replay): ids must not repeat.
    let marker_id = format!("arrow-{}", next_diagram_id());
    let marker_url = format!("url(#{marker_id})");
    // The width the diagram is shown at, measured once it is on the page (before it is first
    // painted) and again whenever the window changes size.
    let frame = NodeRef::<leptos::html::Div>::new();
    let shown = RwSignal::new(MAX_WIDTH);
    let measure = move || {
        if let Some(el) = frame.get_untracked() {
            shown.set(f64::from(el.client_width()));
        }
    };
    Effect::new(move |_| {
        if frame.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let geometry = Memo::new(move |_| Geometry::for_width(shown.get()));
    let drawing = move || {
        let g = geometry.get();
        let height = g.height(rows);
        let (client_label_x, client_anchor) = g.side_label_at(Side::Client);
        let (server_label_x, server_anchor) = g.side_label_at(Side::Server);
        view! {
            <svg class="diagram" class:narrow=g.narrow viewBox=format!("0 0 {} {height}", g.width) role="img" data-testid="diagram"
                aria-label=move || {
                    i18n.t(Key::PlayerDiagram)().replace("{step}", &(head.step.get() + 1).to_string()).replace("{total}", &rows.to_string())
                }>
                <defs>
                    <marker id=marker_id.clone() viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                    </marker>
                </defs>
                <text x=client_label_x y="20" class="side-label" text-anchor=client_anchor>{i18n.t(Key::PlayerClient)}</text>
                <text x=server_label_x y="20" class="side-label" text-anchor=server_anchor>{i18n.t(Key::PlayerServer)}</text>
                <line x1=g.client_x y1="28" x2=g.client_x y2=height class="timeline" />
                <line x1=g.server_x y1="28" x2=g.server_x y2=height class="timeline" />
                <StateLabel g=g side=Side::Client y={TOP - 14.0} state=client0 current=false />
                <StateLabel g=g side=Side::Server y={TOP - 14.0} state=server0 current=false />
                {(0..rows)
                    .map(|i| {
                        let step = run.with_value(|r| r.steps[i].clone());
                        let visible = move || head.step.get() >= i;
                        let current = move || head.step.get() == i;
                        view! {
                            <g class="step" class:current=current data-step=i style:display={move || if visible() { "inline" } else { "none" }}>
                                <StepRow g=g run=run step=step index=i head=head arrow=marker_url.clone() />
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
        }
    };
    view! { <div class="diagram-frame" node_ref=frame>{drawing}</div> }
}

#[component]
fn StepRow(g: Geometry, run: StoredValue<Run>, step: Step, index: usize, head: Playhead, arrow: String) -> impl IntoView {
    let row_top = TOP + g.row() * index as f64;
    let (arrow_top, drop) = g.arrow();
    let y = row_top + arrow_top;
    let current = move || head.step.get() == index;
    let state_y = y + drop + if g.narrow { 14.0 } else { 4.0 };
    let states = view! {
        <StateLabel g=g side=Side::Client y=state_y state=step.client.after current=step.client.before != step.client.after />
        <StateLabel g=g side=Side::Server y=state_y state=step.server.after current=step.server.before != step.server.after />
    };
    let body = match &step.kind {
        StepKind::Segment { segment, fate, retransmission, .. } => {
            let (x1, x2) = (g.x_of(segment.from), g.x_of(segment.from.other()));
            // A lost segment stops half-way; a dropped one reaches the receiver and is discarded.
            let reach = match fate {
                Fate::Lost => 0.5,
                _ => 1.0,
            };
            let progress = move || if current() { head.progress.get() } else { 1.0 };
            let end_x = move || x1 + (x2 - x1) * reach * progress();
            let end_y = move || y + drop * reach * progress();
            let segment_for_label = segment.clone();
            let connection = step.connection;
            // Flags and length, then seq and ack: one line when wide, two when narrow.
            let head_line = format!("{} len={}", segment.flags, segment.len);
            let numbers = move || {
                let (seq, ack) = run.with_value(|r| numbers::shown(r, connection, &segment_for_label, head.numbering.get()));
                if segment_for_label.flags.ack { format!("seq={seq} ack={ack}") } else { format!("seq={seq}") }
            };
            let mid_x = (g.client_x + g.server_x) / 2.0;
            let marker = match fate {
                Fate::Lost => Some((mid_x, y + drop / 2.0)),
                Fate::Dropped { .. } => Some((x2, y + drop)),
                Fate::Delivered { .. } => None,
            };
            let (label_y, second_x, second_dy) = if g.narrow { (row_top + 4.0, Some(mid_x), 14.0) } else { (y + 8.0, None, 0.0) };
            let label = view! {
                <text x=mid_x y=label_y text-anchor="middle" class="segment-label" data-testid=format!("segment-label-{index}")>
                    {head_line}
                    <tspan x=second_x dy=second_dy>{if g.narrow { "" } else { " " }}{numbers}</tspan>
                </text>
            };
            view! {
                <line x1=x1 y1=y x2=end_x y2=end_y class="segment" class:retransmission={*retransmission > 0} marker-end=arrow />
                {label}
                {marker.map(|(mx, my)| view! {
                    <text x=mx y={my + 5.0} text-anchor="middle" class="loss-mark" style:display={move || if progress() >= 1.0 { "inline" } else { "none" }}>"✕"</text>
                })}
            }
            .into_any()
        }
        StepKind::Timer { side, timer, .. } => {
            let x = g.x_of(*side);
            let i18n = use_i18n();
            // The circle is the timer's mark: no clock glyph, which stock fonts may not have.
            let text = detail::timer_name(i18n, *timer);
            view! {
                <circle cx=x cy={y + drop / 2.0} r="9" class="timer" />
                <text x={if *side == Side::Client { x + 16.0 } else { x - 16.0 }} y={y + drop / 2.0 + 4.0}
                    text-anchor={if *side == Side::Client { "start" } else { "end" }} class="timer-label">{text}</text>
            }
            .into_any()
        }
    };
    view! { {body} {states} }
}

#[component]
fn StateLabel(g: Geometry, side: Side, y: f64, state: TcpState, current: bool) -> impl IntoView {
    let (x, anchor) = g.state_at(side);
    view! {
        <text x=x y=y text-anchor=anchor class="state" class:changed=current>{state.name()}</text>
    }
}
