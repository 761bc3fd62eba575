//! The sequence diagram: two timelines, one arrow per segment, states beside each timeline.

use leptos::prelude::*;
use tcplab_core::tcp::{Fate, Run, Side, Step, StepKind, TcpState};

use super::{Playhead, detail, numbers};
use crate::i18n::{Key, use_i18n};

const WIDTH: f64 = 640.0;
const CLIENT_X: f64 = 150.0;
const SERVER_X: f64 = 490.0;
const TOP: f64 = 56.0;
const ROW: f64 = 64.0;
const DROP: f64 = 44.0;

fn x_of(side: Side) -> f64 {
    match side {
        Side::Client => CLIENT_X,
        Side::Server => SERVER_X,
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
    let height = TOP + ROW * rows as f64 + 24.0;
    let (client0, server0) = run.with_value(|r| (r.client_initial, r.server_initial));
    // One page can hold several players (a lesson, a quiz's replay): ids must not repeat.
    let marker_id = format!("arrow-{}", next_diagram_id());
    let marker_url = format!("url(#{marker_id})");
    view! {
        <svg class="diagram" viewBox=format!("0 0 {WIDTH} {height}") role="img" data-testid="diagram"
            aria-label=move || {
                i18n.t(Key::PlayerDiagram)().replace("{step}", &(head.step.get() + 1).to_string()).replace("{total}", &rows.to_string())
            }>
            <defs>
                <marker id=marker_id.clone() viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                </marker>
            </defs>
            <text x=CLIENT_X y="20" class="side-label" text-anchor="middle">{i18n.t(Key::PlayerClient)}</text>
            <text x=SERVER_X y="20" class="side-label" text-anchor="middle">{i18n.t(Key::PlayerServer)}</text>
            <line x1=CLIENT_X y1="28" x2=CLIENT_X y2=height class="timeline" />
            <line x1=SERVER_X y1="28" x2=SERVER_X y2=height class="timeline" />
            <StateLabel side=Side::Client y={TOP - 14.0} state=client0 current=false />
            <StateLabel side=Side::Server y={TOP - 14.0} state=server0 current=false />
            {(0..rows)
                .map(|i| {
                    let step = run.with_value(|r| r.steps[i].clone());
                    let visible = move || head.step.get() >= i;
                    let current = move || head.step.get() == i;
                    view! {
                        <g class="step" class:current=current data-step=i style:display={move || if visible() { "inline" } else { "none" }}>
                            <StepRow run=run step=step index=i head=head arrow=marker_url.clone() />
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
fn StepRow(run: StoredValue<Run>, step: Step, index: usize, head: Playhead, arrow: String) -> impl IntoView {
    let y = TOP + ROW * index as f64;
    let current = move || head.step.get() == index;
    let states = view! {
        <StateLabel side=Side::Client y={y + DROP + 4.0} state=step.client.after current=step.client.before != step.client.after />
        <StateLabel side=Side::Server y={y + DROP + 4.0} state=step.server.after current=step.server.before != step.server.after />
    };
    let body = match &step.kind {
        StepKind::Segment { segment, fate, retransmission, .. } => {
            let (x1, x2) = (x_of(segment.from), x_of(segment.from.other()));
            // A lost segment stops half-way; a dropped one reaches the receiver and is discarded.
            let reach = match fate {
                Fate::Lost => 0.5,
                _ => 1.0,
            };
            let progress = move || if current() { head.progress.get() } else { 1.0 };
            let end_x = move || x1 + (x2 - x1) * reach * progress();
            let end_y = move || y + DROP * reach * progress();
            let segment_for_label = segment.clone();
            let connection = step.connection;
            let label = move || {
                let (seq, ack) = run.with_value(|r| numbers::shown(r, connection, &segment_for_label, head.numbering.get()));
                let ack = if segment_for_label.flags.ack { format!(" ack={ack}") } else { String::new() };
                format!("{} seq={seq}{ack} len={}", segment_for_label.flags, segment_for_label.len)
            };
            let mid_x = (x1 + x2) / 2.0;
            let marker = match fate {
                Fate::Lost => Some((mid_x, y + DROP / 2.0)),
                Fate::Dropped { .. } => Some((x2, y + DROP)),
                Fate::Delivered { .. } => None,
            };
            view! {
                <line x1=x1 y1=y x2=end_x y2=end_y class="segment" class:retransmission={*retransmission > 0} marker-end=arrow />
                <text x=mid_x y={y + 8.0} text-anchor="middle" class="segment-label" data-testid=format!("segment-label-{index}")>{label}</text>
                {marker.map(|(mx, my)| view! {
                    <text x=mx y={my + 5.0} text-anchor="middle" class="loss-mark" style:display={move || if progress() >= 1.0 { "inline" } else { "none" }}>"✕"</text>
                })}
            }
            .into_any()
        }
        StepKind::Timer { side, timer, .. } => {
            let x = x_of(*side);
            let i18n = use_i18n();
            let text = format!("⏱ {}", detail::timer_name(i18n, *timer));
            view! {
                <circle cx=x cy={y + DROP / 2.0} r="9" class="timer" />
                <text x={if *side == Side::Client { x + 16.0 } else { x - 16.0 }} y={y + DROP / 2.0 + 4.0}
                    text-anchor={if *side == Side::Client { "start" } else { "end" }} class="timer-label">{text}</text>
            }
            .into_any()
        }
    };
    view! { {body} {states} }
}

#[component]
fn StateLabel(side: Side, y: f64, state: TcpState, current: bool) -> impl IntoView {
    let (x, anchor) = match side {
        Side::Client => (CLIENT_X - 12.0, "end"),
        Side::Server => (SERVER_X + 12.0, "start"),
    };
    view! {
        <text x=x y=y text-anchor=anchor class="state" class:changed=current>{state.name()}</text>
    }
}
