/* Host config for the Adaptive Cards renderer: a Teams-like light theme (Teams' own sizes and
   palette as far as they are visible in the client: 14 px text, 6 actions at most, the purple
   brand colour for accents). Loaded before chat.js, which reads window.REGIONDORREN_HOST_CONFIG. */
"use strict";

(function () {
  const foreground = {
    default: { default: "#242424", subtle: "#616161" },
    dark: { default: "#242424", subtle: "#424242" },
    light: { default: "#FFFFFF", subtle: "#F0F0F0" },
    accent: { default: "#5B5FC7", subtle: "#7F85F5" },
    good: { default: "#0E700E", subtle: "#13A10E" },
    warning: { default: "#835C00", subtle: "#C19C00" },
    attention: { default: "#C4314B", subtle: "#D13438" },
  };
  const style = (backgroundColor) => ({ backgroundColor, foregroundColors: foreground });

  window.REGIONDORREN_HOST_CONFIG = {
    supportsInteractivity: true,
    fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, " +
      "'Helvetica Neue', 'Liberation Sans', 'DejaVu Sans', sans-serif",
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: "#E0E0E0" },
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: style("#FFFFFF"),
      emphasis: style("#F5F5F5"),
      accent: style("#E8EBFA"),
      good: style("#E7F2DA"),
      warning: style("#FBF6D9"),
      attention: style("#FDF3F4"),
    },
    actions: {
      maxActions: 6,
      spacing: "default",
      buttonSpacing: 8,
      showCard: { actionMode: "inline", inlineTopMargin: 16, style: "emphasis" },
      actionsOrientation: "horizontal",
      actionAlignment: "left",
      iconPlacement: "leftOfTitle",
      iconSize: 16,
    },
    adaptiveCard: { allowCustomStyle: true },
    textBlock: { headingLevel: 2 },
    textStyles: {
      heading: { size: "large", weight: "bolder", color: "default", isSubtle: false, fontType: "default" },
      columnHeader: { size: "default", weight: "bolder", color: "default", isSubtle: false, fontType: "default" },
    },
    factSet: {
      title: { color: "default", size: "default", isSubtle: false, weight: "bolder", wrap: true, maxWidth: 150 },
      value: { color: "default", size: "default", isSubtle: false, weight: "default", wrap: true },
      spacing: 12,
    },
    image: { size: "medium" },
    imageSet: { imageSize: "medium", maxImageHeight: 100 },
    media: { allowInlinePlayback: false },
    inputs: {
      label: {
        requiredInputs: { weight: "bolder", suffix: " *", suffixColor: "attention" },
        optionalInputs: { weight: "bolder" },
      },
      errorMessage: { size: "small", color: "attention" },
    },
  };
})();
