//! One field of a page's form. A page keeps its whole form (a plain page-model
//! type from [`crate::page`]) in one signal; a control binds one field of it
//! through a [`Lens`]: reading tracks only that field (a memo), writing
//! updates the form in place. No control keeps a copy of its own.

use leptos::prelude::*;

/// A readable, writable view of one field of a form signal.
pub struct Lens<T: Send + Sync + 'static> {
    get: Signal<T>,
    set: Callback<T>,
}

impl<T: Send + Sync + 'static> Clone for Lens<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Lens<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Lens<T> {
    /// The field `get` reads and `set` writes, of `form`.
    pub fn new<F: Send + Sync + 'static>(
        form: RwSignal<F>,
        get: fn(&F) -> T,
        set: fn(&mut F, T),
    ) -> Self {
        Lens {
            get: Memo::new(move |_| form.with(get)).into(),
            set: Callback::new(move |v| form.update(|f| set(f, v))),
        }
    }

    /// The field's value (tracked).
    pub fn get(&self) -> T {
        self.get.get()
    }

    /// The field's value, untracked.
    pub fn get_untracked(&self) -> T {
        self.get.get_untracked()
    }

    /// Tracks the field, as reading it would.
    pub fn track(&self) {
        self.get.track()
    }

    /// Writes the field into the form.
    pub fn set(&self, v: T) {
        self.set.run(v)
    }
}

/// A signal that is a whole value of its own (a control outside any form).
impl<T: Clone + Send + Sync + 'static> From<RwSignal<T>> for Lens<T> {
    fn from(s: RwSignal<T>) -> Self {
        Lens {
            get: s.into(),
            set: Callback::new(move |v| s.set(v)),
        }
    }
}

/// `lens!(form.a.b)`: the [`Lens`] of the field `a.b` of the form signal `form`.
#[macro_export]
macro_rules! lens {
    ($form:ident . $($field:ident).+) => {
        $crate::ui::components::Lens::new(
            $form,
            |f| f.$($field).+.clone(),
            |f, v| f.$($field).+ = v,
        )
    };
}
