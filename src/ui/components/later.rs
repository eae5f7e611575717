//! Sections drawn after the first screen, one per task: a page's first
//! render (its frame, head and first controls) is one short task, and each
//! section below it is drawn in a task of its own, in page order, so no task
//! holds the main thread long enough to delay a tap (a phone's "total
//! blocking time"). Nothing above a section moves when it appears, and
//! `main`'s minimum height keeps the footer below the first screen until then.

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;

thread_local! {
    static QUEUE: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::new(VecDeque::new());
}

/// Runs `job` in a task of its own, after every job queued before it.
fn queue(job: Box<dyn FnOnce()>) {
    let first = QUEUE.with_borrow_mut(|q| {
        q.push_back(job);
        q.len() == 1
    });
    if first {
        next_task();
    }
}

fn next_task() {
    set_timeout(
        || {
            let job = QUEUE.with_borrow_mut(|q| q.pop_front());
            if let Some(job) = job {
                job();
            }
            if QUEUE.with_borrow(|q| !q.is_empty()) {
                next_task();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Draws `children` in a task of its own, after the page's first render and
/// the sections before it.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(false);
    // A page left before its turn has dropped the signal: nothing to draw.
    queue(Box::new(move || {
        let _ = shown.try_set(true);
    }));
    view! { <Show when=move || shown.get()>{children()}</Show> }
}
