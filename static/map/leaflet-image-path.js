// Leaflet guesses the folder of its marker images from the <link> of leaflet.css, which
// streamlit-folium adds only after this script has run (streamlit-folium issue #275): say it.
if (window.L) { L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"; }
