import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { LineLink } from "./LineLink.jsx";

export default async () => {
  render(<ThankYou />, document.body);
};

function ThankYou() {
  // purchase.thank-you: the confirmed order's id (gid://shopify/OrderIdentity/…, same number as the Order).
  const orderId = shopify.orderConfirmation.value?.order?.id;
  // The checkout this page was rendered for ("matches the checkout_token field in the REST Admin API
  // Order resource", Checkout Token API): proves a guest buyer holds the order's checkout.
  const checkoutToken = shopify.checkoutToken?.value;
  return <LineLink orderId={orderId} target="thank_you" checkoutToken={checkoutToken} />;
}
