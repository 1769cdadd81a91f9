// The menu image with its tap areas drawn over it, each saying where it goes.
import { Box, Text } from "@shopify/polaris";
import { MENU_DIMENSIONS, type MenuArea, type MenuSize } from "~/domain/rich-menus/types";
import { useMenuText } from "./text";

export function MenuPreview({
  size,
  areas,
  imageUrl,
  menuNames,
}: {
  size: MenuSize;
  areas: MenuArea[];
  imageUrl: string | null;
  menuNames?: Record<number, string>;
}) {
  const dim = MENU_DIMENSIONS[size];
  const { t, describeAction } = useMenuText();
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <Box>
      <div
        data-testid="menu-preview"
        style={{
          position: "relative",
          width: "100%",
          aspectRatio: `${dim.width} / ${dim.height}`,
          background: "#e3e3e3",
          borderRadius: 8,
          overflow: "hidden",
        }}
      >
        {imageUrl ? (
          <img
            src={imageUrl}
            alt={t("richMenus.preview.imageAlt")}
            style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
          />
        ) : (
          <div style={{ position: "absolute", inset: 0, display: "grid", placeItems: "center" }}>
            <Text as="p" tone="subdued">
              {t("richMenus.preview.noImage")}
            </Text>
          </div>
        )}
        {areas.map((a, i) => (
          <div
            key={i}
            data-testid={`tap-area-${i}`}
            title={`${a.label}: ${describeAction(a.action, menuNames)}`}
            style={{
              position: "absolute",
              left: pct(a.bounds.x, dim.width),
              top: pct(a.bounds.y, dim.height),
              width: pct(a.bounds.width, dim.width),
              height: pct(a.bounds.height, dim.height),
              border: "2px dashed rgba(255,255,255,0.9)",
              boxShadow: "inset 0 0 0 1px rgba(0,0,0,0.4)",
              display: "flex",
              alignItems: "flex-end",
              boxSizing: "border-box",
            }}
          >
            <span style={{ background: "rgba(0,0,0,0.65)", color: "#fff", fontSize: 11, padding: "2px 4px", margin: 4, borderRadius: 4 }}>
              {i + 1}. {describeAction(a.action, menuNames)}
            </span>
          </div>
        ))}
      </div>
    </Box>
  );
}
