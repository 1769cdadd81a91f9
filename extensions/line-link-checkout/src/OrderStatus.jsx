import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { LineLink } from "./LineLink.jsx";

export default async () => {
  render(<OrderStatus />, document.body);
};

function OrderStatus() {
  const orderId = shopify.order.value?.id;
  return <LineLink orderId={orderId} target="order_status" />;
}
