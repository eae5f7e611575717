//! What the page says about the browser's storage for this site (saved
//! models): how much is used, of how much, and whether it is kept.

use crate::lang::Lang;
use crate::math::format::fmt_bytes as bytes_text;

/// The browser's answer to `navigator.storage.estimate()` and `persisted()`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageUse {
    pub used: f64,
    pub quota: f64,
    pub persisted: bool,
}

impl StorageUse {
    /// One sentence: the use, the quota, and what the browser promises.
    pub fn line(&self, lang: Lang) -> String {
        let (used, quota) = (bytes_text(self.used), bytes_text(self.quota));
        match (lang, self.persisted) {
            (Lang::En, true) => format!(
                "This site stores {used} in this browser (saved models and its offline copy), of the \
                 {quota} the browser allows it. The browser keeps it until you delete it (persistent storage)."
            ),
            (Lang::En, false) => format!(
                "This site stores {used} in this browser (saved models and its offline copy), of the \
                 {quota} the browser allows it. The browser did not grant persistent storage: it may \
                 clear saved models when the disk runs low, so download the ones you want to keep."
            ),
            (Lang::Zh, true) => format!(
                "本站在此浏览器中存储了 {used}（保存的模型和离线副本），浏览器允许最多 {quota}。\
                 浏览器会一直保留这些数据，直到你删除（持久存储）。"
            ),
            (Lang::Zh, false) => format!(
                "本站在此浏览器中存储了 {used}（保存的模型和离线副本），浏览器允许最多 {quota}。\
                 浏览器没有授予持久存储：磁盘空间不足时它可能清除保存的模型，想保留的请下载。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_use_quota_and_promise_in_both_languages() {
        let s = StorageUse {
            used: 2.6e6,
            quota: 1.2e9,
            persisted: false,
        };
        assert!(s
            .line(Lang::En)
            .starts_with("This site stores 2.6 MB in this browser"));
        assert!(s
            .line(Lang::En)
            .contains("of the 1.2 GB the browser allows it"));
        assert!(s
            .line(Lang::En)
            .contains("did not grant persistent storage"));
        assert!(s.line(Lang::Zh).contains("本站在此浏览器中存储了 2.6 MB"));
        let kept = StorageUse {
            persisted: true,
            ..s
        };
        assert!(kept.line(Lang::En).contains("until you delete it"));
        assert!(kept.line(Lang::Zh).contains("持久存储"));
    }
}
