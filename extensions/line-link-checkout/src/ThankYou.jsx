import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { LineLink } from "./LineLink.jsx";

export default async () => {
  render(<ThankYou />, document.body);
};

function ThankYou() {
  // purchase.thank-you: the confirmed order's id (gid://shopify/OrderIdentity/…, same number as the Order).
  const orderId = shopify.orderConfirmation.value?.order?.id;
  return <LineLink orderId={orderId} target="thank_you" />;
}
