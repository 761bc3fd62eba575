//! Replay a capture: the learner opens a .pcap/.pcapng file, the shared crate parses it right
//! here in the browser (nothing is uploaded), and the chosen TCP conversation plays in the same
//! player as the lessons, with both ends' states inferred.

use leptos::prelude::*;
use tcplab_core::capture::{self, Capture, CaptureError, CaptureWarning, Damage};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::set_title;
use crate::api;
use crate::components::player::RunPlayer;
use crate::i18n::{I18n, Key, use_i18n};

/// Files larger than this are refused before reading: a browser tab should not load 100 MB
/// into memory for a lesson, and conversations worth stepping through are small.
const MAX_FILE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

#[derive(Clone)]
enum Loaded {
    Nothing,
    Reading,
    Failed(ReadError),
    Read(std::sync::Arc<Capture>),
}

/// Why a file could not be replayed, said in the reader's language when shown.
#[derive(Clone)]
enum ReadError {
    TooLarge { bytes: f64 },
    Unreadable(String),
    Capture(CaptureError),
}

impl ReadError {
    fn text(&self, i18n: I18n) -> String {
        let t = |k| i18n.t(k)();
        match self {
            ReadError::TooLarge { bytes } => t(Key::ReplayErrorTooLarge).replace("{mb}", &format!("{:.0}", bytes / 1e6)),
            ReadError::Unreadable(detail) | ReadError::Capture(CaptureError::Io(detail)) => {
                t(Key::ReplayErrorUnreadable).replace("{detail}", detail)
            }
            ReadError::Capture(CaptureError::Empty) => t(Key::ReplayErrorEmpty).to_owned(),
            ReadError::Capture(CaptureError::NotACapture { magic }) => {
                let magic = magic.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
                t(Key::ReplayErrorNotCapture).replace("{magic}", &magic)
            }
            ReadError::Capture(CaptureError::Corrupt { packet, damage }) => {
                t(Key::ReplayErrorCorrupt).replace("{packet}", &packet.to_string()).replace("{detail}", &damage_text(i18n, *damage))
            }
            ReadError::Capture(CaptureError::NoPackets) => t(Key::ReplayErrorNoPackets).to_owned(),
            ReadError::Capture(CaptureError::NoTcp { packets, links }) if links.is_empty() => {
                t(Key::ReplayErrorNoTcp).replace("{packets}", &packets.to_string())
            }
            ReadError::Capture(CaptureError::NoTcp { packets, links }) => t(Key::ReplayErrorNoTcpLink)
                .replace("{packets}", &packets.to_string())
                .replace("{links}", &links.iter().map(|l| capture::link_label(*l)).collect::<Vec<_>>().join(", ")),
        }
    }
}

fn damage_text(i18n: I18n, damage: Damage) -> String {
    let t = |k| i18n.t(k)();
    match damage {
        Damage::FileHeader => t(Key::ReplayDamageFileHeader).to_owned(),
        Damage::PacketTooLarge { bytes } => t(Key::ReplayDamagePacketTooLarge).replace("{bytes}", &bytes.to_string()),
        Damage::BlockLength { bytes } => t(Key::ReplayDamageBlockLength).replace("{bytes}", &bytes.to_string()),
        Damage::PacketOutsideBlock { bytes } => t(Key::ReplayDamagePacketOutsideBlock).replace("{bytes}", &bytes.to_string()),
        Damage::UnknownInterface { id } => t(Key::ReplayDamageUnknownInterface).replace("{id}", &id.to_string()),
        Damage::CutInFirstPacket => t(Key::ReplayDamageCutInFirstPacket).to_owned(),
    }
}

fn warning_text(i18n: I18n, warning: &CaptureWarning) -> String {
    let t = |k| i18n.t(k)();
    match warning {
        CaptureWarning::CutShort { offset, packets } => {
            t(Key::ReplayWarningCutShort).replace("{offset}", &offset.to_string()).replace("{packets}", &packets.to_string())
        }
        CaptureWarning::Truncated { packets } => t(Key::ReplayWarningTruncated).replace("{packets}", &packets.to_string()),
    }
}

async fn read_file(file: web_sys::File) -> Result<Capture, ReadError> {
    if file.size() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { bytes: file.size() });
    }
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| ReadError::Unreadable(format!("{e:?}")))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    capture::read(&bytes[..]).map_err(ReadError::Capture)
}

lazy_page! {
    /// The route. Its view, with the capture reader, is a wasm chunk of its own, fetched the first
    /// time /replay opens.
    ReplayRoute => ReplayPage
}

#[component]
pub fn ReplayPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ReplayTitle));
    let state = RwSignal::new(Loaded::Nothing);
    let chosen = RwSignal::new(0usize);
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        state.set(Loaded::Reading);
        chosen.set(0);
        leptos::task::spawn_local(async move {
            state.set(match read_file(file).await {
                Ok(capture) => Loaded::Read(std::sync::Arc::new(capture)),
                Err(e) => Loaded::Failed(e),
            });
        });
    };
    view! {
        <section class="page" data-testid="page-replay">
            <h1>{t(Key::ReplayTitle)}</h1>
            <p class="lead">{t(Key::ReplayIntro)}</p>
            <label class="file-input">
                {t(Key::ReplayChoose)} " "
                <input type="file" accept=".pcap,.pcapng,.cap" data-testid="capture-file" on:change=on_change />
            </label>
            {move || match state.get() {
                Loaded::Nothing => ().into_any(),
                Loaded::Reading => view! { <p>{t(Key::ReplayReading)}</p> }.into_any(),
                Loaded::Failed(e) => view! { <p class="error" role="alert" data-testid="replay-error">{move || e.text(i18n)}</p> }.into_any(),
                Loaded::Read(capture) => {
                    let infos = capture.infos();
                    let count = infos.len();
                    let guessed: Vec<bool> = infos.iter().map(|c| c.guessed).collect();
                    view! {
                        <p data-testid="replay-summary">{capture.packets} " " {t(Key::ReplaySummary)} " " {count}</p>
                        {capture.warnings.iter().map(|w| {
                            let w = w.clone();
                            view! { <p class="note warning" role="status" data-testid="replay-warning">{move || warning_text(i18n, &w)}</p> }
                        }).collect_view()}
                        <label>
                            {t(Key::ReplayConversation)} " "
                            <select data-testid="conversation" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                                {infos.into_iter().map(|c| view! {
                                    <option value=c.index.to_string()>{format!("#{} {} → {} ({} ", c.index, c.client, c.server, c.segments)} {t(Key::ReplaySegments)} ")"</option>
                                }).collect_view()}
                            </select>
                        </label>
                        {move || guessed.get(chosen.get()).copied().unwrap_or(false).then(|| view! {
                            <p class="note" data-testid="replay-guessed">{t(Key::ReplayGuessed)}</p>
                        })}
                        {move || {
                            let run = capture.conversations.get(chosen.get()).map(capture::to_run);
                            run.map(|run| view! { <RunPlayer run=run texts=texts /> })
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}
