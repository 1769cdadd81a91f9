// Toasts after a save or a destructive action (Polaris pattern: short, past-tense confirmation).
// Inside Shopify admin they are App Bridge toasts (`shopify.toast.show`); in the sandbox, where no
// Shopify admin is around the app, the app frame draws Polaris Toasts instead (SandboxToasts).
import { Toast } from "@shopify/polaris";
import { useEffect, useState } from "react";

const EVENT = "app:toast";

/** Shows `message` as a toast (`error`: critical tone). Browser only; a no-op during server render. */
export function showToast(message: string, opts: { error?: boolean } = {}): void {
  if (typeof window === "undefined") return;
  if (window.shopify?.toast) {
    window.shopify.toast.show(message, { isError: opts.error });
    return;
  }
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { message, error: Boolean(opts.error) } }));
}

/** Renders the toasts `showToast` raises when App Bridge is absent (the sandbox); inside a Polaris Frame. */
export function SandboxToasts() {
  const [toasts, setToasts] = useState<Array<{ id: number; message: string; error: boolean }>>([]);
  useEffect(() => {
    let next = 0;
    const onToast = (e: Event) => {
      const { message, error } = (e as CustomEvent<{ message: string; error: boolean }>).detail;
      setToasts((all) => [...all, { id: next++, message, error }]);
    };
    window.addEventListener(EVENT, onToast);
    return () => window.removeEventListener(EVENT, onToast);
  }, []);
  return (
    <>
      {toasts.map((t) => (
        <Toast key={t.id} content={t.message} error={t.error} onDismiss={() => setToasts((all) => all.filter((x) => x.id !== t.id))} />
      ))}
    </>
  );
}
