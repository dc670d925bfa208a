import streamlit as st

st.title("authority")
st.info("Coming soon.")
