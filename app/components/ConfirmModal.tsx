// Confirmation before a destructive action (Polaris pattern: the title names what happens to what,
// the body says what follows, the destructive button repeats the verb, Cancel keeps things as they are).
import { Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function ConfirmModal({
  open,
  title,
  body,
  confirmLabel,
  onConfirm,
  onClose,
  loading,
}: {
  open: boolean;
  title: string;
  body: string;
  /** The destructive button, e.g. "Delete tag". */
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      primaryAction={{ content: confirmLabel, destructive: true, loading, onAction: onConfirm }}
      secondaryActions={[{ content: t("common.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <Text as="p">{body}</Text>
      </Modal.Section>
    </Modal>
  );
}
